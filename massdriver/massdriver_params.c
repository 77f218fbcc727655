/* The mass driver's inputs. Defaults follow the mass-driver works of docs/REFERENCES.md;
 * where no reference gives a number, the row says it is a design choice. */
#include "massdriver.h"
#include "release_chipmunk.h"

#define DAY_S 86400.0

#define REAL_ROW(key_, unit_, deck_unit_, def_, lo_, hi_, doc_, src_) \
    {"massdriver", key_, LSIM_PARAM_REAL, unit_, deck_unit_, def_, lo_, hi_, NULL, NULL, doc_, src_}

const lsim_param_def lsim_massdriver_param_defs[] = {
    {"massdriver", "launcher_model", LSIM_PARAM_CHOICE, NULL, NULL, 0.0, 0.0, 0.0,
     LSIM_VARIANT_CHOICES(LSIM_LAUNCHER_VARIANTS), "coil",
     "launcher sub-model that turns the deck into the design figures (energy per launch, rate, track, release "
     "errors):" LSIM_VARIANT_DOCS(LSIM_LAUNCHER_VARIANTS),
     "design choice: coil, the efficiency, coil heat, sustained rate and mass per metre derived coil by coil "
     "from the drive circuits of docs/REFERENCES.md [Johnson1977] and docs/REFERENCES.md [Kolm1980]; first_order "
     "keeps the published studies' summary figures (docs/REFERENCES.md [PRC1976]) for comparison"},
    REAL_ROW("exit_speed", "m s-1", "km/s", 2400.0, 1000.0, 3000.0,
             "speed at release; must reach the catcher (lunar escape is 2.38 km/s)",
             "docs/REFERENCES.md [Johnson1977]: Appendix F, 2.4 km/s; just above the 2.38 km/s escape speed of "
             "docs/REFERENCES.md [MoonFactSheet]"),
    REAL_ROW("acceleration", "m s-2", NULL, 288.0, 10.0, 10000.0,
             "constant acceleration along the track; also the peak force per kg of bucket and payload (N kg-1)",
             "docs/REFERENCES.md [Johnson1977]: Appendix F, 288 m/s2 over 10 km"),
    REAL_ROW("payload_per_launch", "kg", NULL, 9.0, 0.01, 1000.0,
             "payload mass carried by one bucket",
             "docs/REFERENCES.md [PRC1976]: the 1976 design's 5 kg bucket carries 9 kg"),
    REAL_ROW("bucket_mass", "kg", NULL, 5.0, 0.01, 1000.0,
             "mass of one recirculated bucket (armature), empty",
             "docs/REFERENCES.md [PRC1976]: 5 kg bucket; docs/REFERENCES.md [Johnson1977]: buckets under 10 kg"),
    REAL_ROW("bucket_energy_recovery", "1", NULL, 0.5, 0.0, 0.95,
             "fraction of the empty bucket's kinetic energy returned to the bus by regenerative braking",
             "design choice: half, since docs/REFERENCES.md [Wright2011] finds losses larger than first "
             "suggested"),
    REAL_ROW("electrical_efficiency", "1", NULL, 0.6, 0.05, 0.99,
             "bus-to-kinetic efficiency of the accelerator (coils, switches, power conditioning)",
             "docs/REFERENCES.md [PRC1976]: efficiency above 60%; lower bound taken"),
    REAL_ROW("max_launch_rate", "s-1", NULL, 10.0, 0.001, 100.0,
             "highest launch rate of one driver (buckets per second)",
             "docs/REFERENCES.md [Kolm1980]: about ten buckets per second"),
    REAL_ROW("maintenance_period", "s", "d", 30.0 * DAY_S, 3600.0, 366.0 * DAY_S,
             "interval between scheduled maintenance windows of one driver",
             "design choice: monthly re-survey of a track aligned to < 0.01 cm (docs/REFERENCES.md [Johnson1977]; "
             "alignment flagged by docs/REFERENCES.md [Wright2011])"),
    REAL_ROW("maintenance_duration", "s", "d", 3.0 * DAY_S, 0.0, 366.0 * DAY_S,
             "length of each scheduled maintenance window (driver down); must be shorter than the period",
             "design choice: 10% scheduled downtime (availability 0.9); no reference gives a figure"),
    {"massdriver", "drivers", LSIM_PARAM_INT, "1", NULL, 0.0, 0.0, 100000.0, NULL, NULL,
     "mass drivers operating at the start", "design choice: none; the first driver (3 kt of track and, with the launcher apart from the polar array, ~8 kt of power line) is built from lunar metal (a seed of 10^2-10^3 t cannot hold one)"},
    REAL_ROW("launch_elevation", "rad", NULL, 0.0, 0.0, 0.5,
             "angle of the track's exit above the local horizontal",
             "design choice: level track launching along the local horizontal (docs/REFERENCES.md "
             "[Johnson1977])"),
    REAL_ROW("speed_error_sigma", "m s-1", NULL, 1.0e-3, 0.0, 10.0,
             "per-launch exit-speed error (1 sigma)",
             "docs/REFERENCES.md [Johnson1977]: Appendix F, velocity error < 1e-3 m/s; bound taken"),
    REAL_ROW("pointing_error_sigma", "rad", NULL, 4.2e-7, 0.0, 0.01,
             "per-launch pointing error, 1 sigma about each cross axis (the release sampler draws the in-plane "
             "one; the catcher's dispersion model both)",
             "design choice: cross-track error equal to the 1e-3 m/s speed error of docs/REFERENCES.md "
             "[Johnson1977] at 2.4 km/s (1e-3/2400 = 4.2e-7 rad)"),
    {"massdriver", "release_model", LSIM_PARAM_CHOICE, NULL, NULL, 0.0, 0.0, 0.0,
     LSIM_VARIANT_CHOICES(LSIM_RELEASE_MODELS), "chipmunk",
     "release-error model handed to the flight, whatever the launcher:" LSIM_VARIANT_DOCS(LSIM_RELEASE_MODELS),
     "design choice: chipmunk, the release computed from the guides and the track's alignment tolerance of "
     "docs/REFERENCES.md [Johnson1977]; gaussian keeps that study's stated accuracy as an assumption, for "
     "comparison"},
    {"massdriver", "release_cases", LSIM_PARAM_INT, "1", NULL, 128.0, 2.0, 100000.0, NULL, NULL,
     "release cases run at init when release_model = chipmunk (each ~15 ms on one core)",
     "design choice: 128 cases give each sigma to ~6% (1/sqrt(2n)) in ~1 s on two cores"},
    REAL_ROW("release_track_alignment", "m", "mm", 1.0e-4, 0.0, 0.01,
             "rms deviation of the track from its straight line under the bucket, vertical and lateral "
             "(release_model = chipmunk)",
             "docs/REFERENCES.md [Johnson1977]: Appendix F, track alignment < 0.01 cm; the bound taken as the rms"),
    REAL_ROW("release_guide_friction", "1", NULL, 0.1, 0.0, 1.0,
             "Coulomb friction coefficient between payload and bucket guides (release_model = chipmunk)",
             "design choice: a low-friction liner (PTFE on metal is ~0.05-0.1); no reference gives the bucket's"),
    REAL_ROW("release_restitution", "1", NULL, 0.2, 0.0, 1.0,
             "restitution of payload-guide impacts (release_model = chipmunk)",
             "design choice: padded guides; no reference gives a value"),
    REAL_ROW("release_suspension_frequency", "Hz", NULL, 10.0, 0.1, 1000.0,
             "natural frequency of the loaded bucket on its magnetic suspension, heave and sway "
             "(release_model = chipmunk)",
             "design choice: a stiff suspension, above the ~1-2 Hz of maglev vehicles' ride; no reference gives "
             "the bucket's"),
    REAL_ROW("release_suspension_damping", "1", NULL, 0.3, 0.0, 5.0,
             "damping ratio of the bucket's suspension (release_model = chipmunk)",
             "design choice: electrodynamic levitation is almost undamped by itself; 0.3 assumes added dampers"),
    REAL_ROW("lunar_mass_per_length", "kg m-1", NULL, 300.0, 1.0, 100000.0,
             "mass per metre of track made on the Moon (aluminium coils, iron/aluminium guideway and supports)",
             "design choice: order-of-magnitude estimate (no published figure gives a track mass)"),
    REAL_ROW("earth_mass_per_length", "kg m-1", NULL, 20.0, 0.0, 10000.0,
             "mass per metre of track supplied from Earth (power electronics, switches, capacitors, sensors)",
             "design choice: order-of-magnitude estimate (no published figure gives a track mass)"),
    {"massdriver", "power_line_route", LSIM_PARAM_CHOICE, NULL, NULL, 0.0, 0.0, 0.0, "derived|given", "derived",
     "length of the power line from the power site to the launcher: derived = great circle from the south pole "
     "to orbit.launch_latitude for power.site polar, 0 for equatorial (array beside the launcher); given = "
     "massdriver.power_line_length",
     "design choice: the launch site is set by the flight (orbit.launch_latitude), the array by the light "
     "(power.site), so the line between them is derived from both unless a route is given"},
    REAL_ROW("power_line_length", "m", "km", 0.0, 0.0, 5.46e6,
             "length of the power line when massdriver.power_line_route = given (0: no line)",
             "design choice: only read for a given route; 0 m, the array beside the launcher"),
    REAL_ROW("power_line_voltage", "V", NULL, 1.6e6, 0.0, 1.0e7,
             "pole-to-pole voltage of the HVDC bipole from the power site to the launcher (> 0); the line's "
             "mass falls as 1/V^2, so worth sweeping",
             "design choice: +-800 kV, the highest voltage class of terrestrial HVDC lines"),
    REAL_ROW("power_line_loss", "1", NULL, 0.07, 0.0, 0.5,
             "resistive loss of the power line as a share of the power sent at the driver's rated mean power, "
             "in (0, 0.5]; sets the conductor's cross-section (mass falls as 1/share)",
             "design choice: terrestrial long HVDC lines lose a few per cent per 1000 km; 7% over the ~2700 km "
             "from the pole to the equator"),
    /* The coil launcher (launcher_model = coil; coil_design.h). Only read by that variant. */
    {"massdriver", "coil_acceleration_basis", LSIM_PARAM_CHOICE, NULL, NULL, 0.0, 0.0, 0.0, "peak|mean", "peak",
     "coil launcher: what massdriver.acceleration limits: peak = the largest acceleration of any stage pulse (the "
     "mean is lower and the track longer), mean = the mean over the track (pulses peak above it)",
     "design choice: peak, what a payload's load limit means; mean reproduces docs/REFERENCES.md [Johnson1977] "
     "Appendix F's 288 m/s2 over 10 km for comparison"},
    REAL_ROW("coil_drive_inner_radius", "m", NULL, 0.20, 0.05, 2.0,
             "coil launcher: inner radius of a drive coil's winding (the bore the bucket passes through)",
             "design choice: a bore for a 0.15 m bucket coil, the scale of docs/REFERENCES.md [Kolm1980]'s "
             "demonstration drivers and of the 5-10 kg buckets of docs/REFERENCES.md [Johnson1977]"),
    REAL_ROW("coil_drive_depth", "m", NULL, 0.02, 0.002, 0.2,
             "coil launcher: radial depth (build) of a drive coil's winding",
             "design choice: a tenth of the bore radius (thin winding; coil_physics.h self inductance ~1%)"),
    REAL_ROW("coil_drive_length", "m", NULL, 0.05, 0.005, 0.2,
             "coil launcher: axial length of a drive coil's winding; below the stage pitch",
             "design choice: a tenth of the default 0.5 m pitch, leaving room for radiator fins between coils"),
    REAL_ROW("coil_drive_turns", "1", NULL, 20.0, 1.0, 1000.0,
             "coil launcher: turns of a drive coil (more turns: higher inductance and bank voltage, lower current)",
             "design choice: keeps bank voltages near 10 kV at the exit speed (thyristor stacks of a few devices)"),
    {"massdriver", "coil_conductor", LSIM_PARAM_CHOICE, NULL, NULL, 0.0, 0.0, 0.0, "aluminium|copper",
     "aluminium",
     "coil launcher: drive coil metal; aluminium counts as lunar mass, copper as Earth mass",
     "design choice: aluminium, refined on the Moon (docs/REFERENCES.md [IEC60889] resistivity); copper "
     "(docs/REFERENCES.md [IEC60028]) for comparison"},
    REAL_ROW("coil_fill_factor", "1", NULL, 0.7, 0.3, 0.9,
             "coil launcher: conductor share of the drive winding's cross-section",
             "design choice: typical of strip- or rectangular-wire windings with insulation"),
    REAL_ROW("coil_bucket_radius_ratio", "1", NULL, 0.75, 0.3, 0.85,
             "coil launcher: bucket coil mean radius over the drive coil inner radius",
             "design choice: 0.15 m in a 0.2 m bore, leaving clearance for guidance"),
    REAL_ROW("coil_bucket_depth_ratio", "1", NULL, 0.1, 0.01, 0.15,
             "coil launcher: bucket coil radial build over the drive coil inner radius",
             "design choice: 2 cm of superconducting winding and cryostat in a 0.2 m bore"),
    REAL_ROW("coil_bucket_length", "m", NULL, 0.05, 0.005, 0.5,
             "coil launcher: axial length of the bucket coil's winding",
             "design choice: as the drive coil"),
    REAL_ROW("coil_bucket_turns", "1", NULL, 100.0, 1.0, 10000.0,
             "coil launcher: turns of the bucket coil", "design choice: with coil_bucket_current, the ampere-turns"),
    REAL_ROW("coil_bucket_current", "A", NULL, 7000.0, 1.0, 1.0e5,
             "coil launcher: current per turn of the superconducting bucket coil, held constant",
             "docs/REFERENCES.md [Johnson1977]: Appendix F, 3 T bucket magnets: 7e5 ampere-turns give about 3 T at "
             "the centre of a 0.15 m coil (mu0 N I / 2r)"),
    REAL_ROW("coil_stage_pitch", "m", NULL, 0.5, 0.25, 5.0,
             "coil launcher: distance between drive coil centres (one bank and switch each)",
             "design choice: a bore diameter and a half, so one stage conducts at a time"),
    REAL_ROW("coil_circuit_resistance", "ohm", NULL, 1.0e-3, 0.0, 1.0,
             "coil launcher: resistance of a stage's circuit outside the coil (bank, thyristor, leads)",
             "design choice: 1 mOhm, short busbars and a thyristor stack at kA"),
    REAL_ROW("coil_temperature_limit", "K", NULL, 428.15, 300.0, 600.0,
             "coil launcher: highest drive coil temperature (insulation class); coil resistance is taken here",
             "docs/REFERENCES.md [IEC60085]: thermal class 155 (F), 155 degC"),
    REAL_ROW("coil_radiator_area", "m2", NULL, 2.0, 0.01, 100.0,
             "coil launcher: radiating area per stage (fins either side of each drive coil)",
             "design choice: 2 m2 per 0.5 m of track, fins 2 m wide each side; sweep it: it sets the rate when "
             "heat binds"),
    REAL_ROW("coil_emissivity", "1", NULL, 0.85, 0.05, 1.0,
             "coil launcher: infrared emissivity of the radiators",
             "design choice: a white or black radiator coating, 0.8-0.9"),
    REAL_ROW("coil_sink_temperature", "K", NULL, 250.0, 3.0, 290.0,
             "coil launcher: effective radiative sink of the radiators (sky and sunlit ground mixed)",
             "design choice: between deep space (3 K) and the noon equatorial ground (~390 K), for fins "
             "seeing mostly sky"),
    REAL_ROW("coil_bank_energy_density", "J kg-1", NULL, 1000.0, 100.0, 1.0e5,
             "coil launcher: stored energy per kg of capacitor bank (with its packaging), supplied from Earth",
             "design choice: 1 kJ/kg, packaged film pulse capacitors (cells reach 2-3 kJ/kg)"),
    REAL_ROW("coil_charger_power", "W", "GW", 2.0e9, 1.0e6, 1.0e12,
             "coil launcher: power with which one driver's chargers refill its banks (the recharge rate limit)",
             "design choice: 2 GW, above the default's mean power so heat, not recharge, is what the deck tests"),
    REAL_ROW("coil_structure_mass_per_length", "kg m-1", NULL, 100.0, 0.0, 1.0e4,
             "coil launcher: guideway, supports and busbars per metre of accelerator and braker, lunar",
             "design choice: order of magnitude (no published figure gives a track mass)"),
    REAL_ROW("coil_radiator_areal_mass", "kg m-2", NULL, 5.0, 0.0, 100.0,
             "coil launcher: radiator mass per radiating area, lunar aluminium",
             "design choice: 2 mm aluminium fins with a spine"),
    REAL_ROW("coil_switch_mass_per_stage", "kg", NULL, 2.0, 0.0, 1000.0,
             "coil launcher: thyristor stack, trigger and position sensor per stage, from Earth",
             "design choice: a few press-pack thyristors with their drivers"),
    REAL_ROW("coil_return_speed", "m s-1", NULL, 200.0, 10.0, 500.0,
             "coil launcher: speed of the empty bucket on the return track; braking ends and the loaded "
             "bucket re-enters the accelerator at it",
             "design choice: low enough for loops of a few hundred metres, high enough that the last braking "
             "coils (heat ~1/speed) do not bind"),
    REAL_ROW("coil_return_extra_length", "m", NULL, 500.0, 0.0, 1.0e5,
             "coil launcher: return track beyond the accelerator and braker lengths (turnaround loops, loader)",
             "design choice: two loops of ~80 m radius"),
    REAL_ROW("coil_return_mass_per_length", "kg m-1", NULL, 20.0, 0.0, 1.0e4,
             "coil launcher: return track per metre (unpowered guideway), lunar",
             "design choice: a fifth of the powered track's structure"),
    REAL_ROW("coil_loading_time", "s", NULL, 1.0, 0.0, 100.0,
             "coil launcher: time per cycle a bucket spends being loaded",
             "design choice: loading on the fly at the return speed"),
};

const size_t lsim_massdriver_param_count = sizeof lsim_massdriver_param_defs / sizeof lsim_massdriver_param_defs[0];
