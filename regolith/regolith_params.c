/* The regolith deck section: every input of the mining stage. */
#include "units.h"
#include "regolith.h"
#include "dig_energy.h"
#include "fleet_model.h"

#define HOUR 3600.0
#define DAY 86400.0
#define NO_CHOICES NULL
#define NO_TEXT NULL

/* clang-format off */
const lsim_param_def lsim_regolith_param_defs[] = {
    {"regolith", "site_table", LSIM_PARAM_TEXT, NULL, NULL, 0, 0, 0, NO_CHOICES,
     "sites/lunar_sourcebook_table_7_15.csv",
     "CSV of site oxide wt% (site_id,description,SiO2,TiO2,Al2O3,FeO,MgO,CaO,Na2O,source); relative paths are "
     "looked up under $LSIM_DATA_DIR, else the source tree's data/ and the installed share/lunarsim, then the "
     "working directory",
     "docs/REFERENCES.md [Heiken1991]: Lunar Sourcebook Table 7.15, bulk chemistry of nine soils"},
    {"regolith", "site", LSIM_PARAM_CHOICE, NULL, NULL, 0, 0, 0,
     "apollo11|apollo12|apollo14|apollo15|apollo16|apollo17|luna16|luna20|luna24", "apollo16",
     "mining site (a row of the site table)",
     "docs/REFERENCES.md [Heiken1991]: Table 7.15; design choice: Apollo 16 highland soil (27.3% Al2O3; anorthite "
     "up to 60% of some highland soils, docs/REFERENCES.md [McKay1979]) feeds aluminium and silicon for panels"},
    {"regolith", "remainder_treatment", LSIM_PARAM_CHOICE, NULL, NULL, 0, 0, 0, "other|renormalise", "other",
     "unlisted wt% (100 - sum of listed oxides): 'other' carries it as bulk mass LSIM_EL_OTHER (Cr2O3, MnO, K2O, "
     "P2O5, ...); 'renormalise' scales the listed oxides to 100%",
     "docs/REFERENCES.md [Heiken1991]: Table 7.15 rows leave out the minor oxides and do not sum to 100; "
     "design choice: keep the mass"},
    {"regolith", "bulk_density", LSIM_PARAM_REAL, "kg m-3", "g/cm3", 1500.0, 500.0, 3300.0, NO_CHOICES, NO_TEXT,
     "in-place bulk density of the mined layer, converts mined mass to excavated volume",
     "docs/REFERENCES.md [Heiken1991]: chapter 9, 1.50 g/cm3 for 0-15 cm (RASSOR-class excavators skim the top "
     "layer); within the 0.87-1.89 g/cm3 of docs/REFERENCES.md [Carrier1973]"},

    {"regolith", "initial_excavators", LSIM_PARAM_INT, "1", NULL, 10, 0, 1.0e7, NO_CHOICES, NO_TEXT,
     "excavators landed from Earth at the start",
     "design choice: a seed fleet of 10 RASSOR 2.0-class units (0.66 t, docs/REFERENCES.md [Mueller2015]) fits one "
     "commercial lander"},
    {"regolith", "excavation_rate", LSIM_PARAM_REAL, "kg s-1", "kg/d", 2779.0 / DAY, 1.0e-6, 1.0e3, NO_CHOICES, NO_TEXT,
     "regolith excavated and delivered by one excavator at full power (2,779 kg per day of operation)",
     "docs/REFERENCES.md [Mueller2015]: RASSOR 2.0 digs 2,779 kg per day"},
    {"regolith", "dig_specific_energy", LSIM_PARAM_REAL, "J kg-1", "kWh/t", 4.0 * 3.6e6 / 1000.0, 0.0, 1.0e8,
     NO_CHOICES, NO_TEXT, "electrical energy to dig one kg (4 kWh/t)",
     "docs/REFERENCES.md [Mueller2015]: RASSOR 2.0 needs ~4 kWh/t for digging"},
    {"regolith", "dig_energy_model", LSIM_PARAM_CHOICE, NULL, NULL, 0, 0, 0,
     LSIM_VARIANT_CHOICES(LSIM_REGOLITH_DIG_MODELS), "rassor",
     "digging energy per kg, by model:" LSIM_VARIANT_DOCS(LSIM_REGOLITH_DIG_MODELS),
     "docs/REFERENCES.md [Mueller2015]: RASSOR 2.0 digging energy (rassor); design choice: granular is a "
     "physics floor for the cutting alone, see docs/MODEL.md section 3"},
    {"regolith", "dig_drive_efficiency", LSIM_PARAM_REAL, "1", NULL, 0.3, 0.01, 1.0, NO_CHOICES, NO_TEXT,
     "with dig_energy_model = granular: electrical energy to the cutting edge's work (motors, gears, drum "
     "losses, soil lifted and thrown in the drum)",
     "design choice: 0.3 for a bucket-drum digger; no published figure (RASSOR 2.0's ~4 kWh/t, "
     "docs/REFERENCES.md [Mueller2015], is a whole-machine figure that cannot be split)"},
    {"regolith", "haul_distance", LSIM_PARAM_REAL, "m", NULL, 100.0, 0.0, 1.0e5, NO_CHOICES, NO_TEXT,
     "one-way driving distance from the dig face to the refinery hopper",
     "design choice: plant sited next to the pit; 0 makes the specific energy RASSOR's digging figure alone"},
    {"regolith", "haul_rolling_resistance", LSIM_PARAM_REAL, "1", NULL, 0.1, 0.0, 1.0, NO_CHOICES, NO_TEXT,
     "rolling resistance coefficient of the excavator on loose regolith",
     "design choice: no published lunar figure; 0.1 is a typical wheeled-vehicle value on loose soil"},
    {"regolith", "haul_payload", LSIM_PARAM_REAL, "kg", NULL, 20.0, 0.1, 1.0e4, NO_CHOICES, NO_TEXT,
     "regolith carried per trip",
     "docs/REFERENCES.md [Gill2015]: RASSOR makes 35 trips of 20 kg per day"},
    {"regolith", "drive_efficiency", LSIM_PARAM_REAL, "1", NULL, 0.5, 0.01, 1.0, NO_CHOICES, NO_TEXT,
     "electrical-to-wheel efficiency of the drive train when hauling",
     "design choice: motor, gearbox and wheel slip losses on loose soil"},
    {"regolith", "excavator_mass", LSIM_PARAM_REAL, "kg", NULL, 66.0, 1.0, 1.0e6, NO_CHOICES, NO_TEXT,
     "mass of one excavator (also the vehicle mass hauled each trip)",
     "docs/REFERENCES.md [Mueller2015]: RASSOR 2.0 weighs 66 kg"},
    {"regolith", "lunar_made_fraction", LSIM_PARAM_REAL, "1", NULL, 0.7, 0.0, 1.0, NO_CHOICES, NO_TEXT,
     "share of a new excavator's mass made from lunar materials (the rest, electronics and motors, from Earth)",
     "design choice: structure, drums and wheels of lunar metal (~70%), electronics/motors/bearings from Earth"},

    {"regolith", "fleet_model", LSIM_PARAM_CHOICE, NULL, NULL, 0, 0, 0,
     LSIM_VARIANT_CHOICES(LSIM_REGOLITH_FLEET_MODELS), "cohorts",
     "how the excavator fleet is kept and worn:" LSIM_VARIANT_DOCS(LSIM_REGOLITH_FLEET_MODELS),
     "design choice: cohorts (docs/MODEL.md, fleets as cohorts; binomial draws by docs/REFERENCES.md "
     "[Hormann1993]) is the default because it costs the same at any fleet size and agrees in distribution with "
     "agents, the reference (every unit its own history, lognormal repair), kept as a variant"},
    {"regolith", "cohort_interval", LSIM_PARAM_REAL, "s", "d", 30.0 * DAY, 1.0, 1.0e30, NO_CHOICES, NO_TEXT,
     "with fleet_model = cohorts: excavators built within this interval share one cohort and its build time",
     "design choice: a month keeps a 30-year fleet to a few hundred cohorts while a unit's age is off by less "
     "than 2% of a year; worth sweeping"},
    {"regolith", "wear_interval", LSIM_PARAM_REAL, "s", "h", DAY, 1.0, 1.0e30, NO_CHOICES, NO_TEXT,
     "with fleet_model = cohorts: time between wear ticks (failure, repair and retirement draws; the hazard is "
     "integrated exactly over a tick, only a failure's timing within it is coarsened)",
     "design choice: a day is short against the 48 h repair and 2,000 h MTBF defaults; worth sweeping"},

    {"regolith", "infant_shape", LSIM_PARAM_REAL, "1", NULL, 0.5, 0.05, 0.99, NO_CHOICES, NO_TEXT,
     "Weibull shape of the infant-mortality hazard piece (< 1: falling hazard)",
     "design choice: bathtub model; no published reliability figure for lunar excavators"},
    {"regolith", "infant_scale", LSIM_PARAM_REAL, "s", "h", 9.0e8, 0.0, 1.0e30, NO_CHOICES, NO_TEXT,
     "Weibull scale of the infant-mortality piece (0 disables it)",
     "design choice: 2% of new units fail in their first 100 h of operation ((100 h / scale)^0.5 = 0.02)"},
    {"regolith", "random_scale", LSIM_PARAM_REAL, "s", "h", 2000.0 * HOUR, 0.0, 1.0e30, NO_CHOICES, NO_TEXT,
     "mean operating time between random failures (Weibull shape 1 piece; 0 disables it)",
     "design choice: 2,000 h MTBF for an abrasive-dust digging robot; no published figure"},
    {"regolith", "wearout_shape", LSIM_PARAM_REAL, "1", NULL, 3.0, 1.01, 20.0, NO_CHOICES, NO_TEXT,
     "Weibull shape of the wear-out hazard piece (> 1: rising hazard)",
     "design choice: bathtub model (bearing and seal wear in abrasive dust)"},
    {"regolith", "wearout_scale", LSIM_PARAM_REAL, "s", "yr", 5.0 * LSIM_JULIAN_YEAR, 0.0, 1.0e30, NO_CHOICES, NO_TEXT,
     "Weibull scale of the wear-out piece in operating time (0 disables it)",
     "design choice: wear-out hazard reaches one failure per characteristic life at 5 years of operation"},
    {"regolith", "max_life", LSIM_PARAM_REAL, "s", "yr", 8.0 * LSIM_JULIAN_YEAR, 0.0, 1.0e30, NO_CHOICES, NO_TEXT,
     "operating time after which a unit is retired (0: no limit)",
     "design choice: retire when wear-out failures come about once every 8 months of operation"},
    {"regolith", "max_repairs", LSIM_PARAM_INT, "1", NULL, 50, 0, 1.0e9, NO_CHOICES, NO_TEXT,
     "repairs after which the next failure retires the unit (0: no limit)",
     "design choice: a unit repaired 50 times is scrapped for parts"},
    {"regolith", "repair_distribution", LSIM_PARAM_CHOICE, NULL, NULL, 0, 0, 0, "exponential|lognormal",
     "lognormal", "law of the time to repair",
     "design choice: lognormal is the usual maintainability model (docs/REFERENCES.md [MILHDBK472]); exponential "
     "for analysis"},
    {"regolith", "repair_mean", LSIM_PARAM_REAL, "s", "h", 48.0 * HOUR, 1.0, 1.0e30, NO_CHOICES, NO_TEXT,
     "mean time to repair once a repair starts",
     "design choice: robotic swap of a failed module with spares on site"},
    {"regolith", "repair_log_sigma", LSIM_PARAM_REAL, "1", NULL, 0.7, 0.01, 3.0, NO_CHOICES, NO_TEXT,
     "standard deviation of ln(time to repair) for the lognormal law",
     "design choice: a factor ~2 spread between quick and slow repairs"},
    {"regolith", "repair_delay", LSIM_PARAM_REAL, "s", "h", 6.0 * HOUR, 0.0, 1.0e30, NO_CHOICES, NO_TEXT,
     "time a failed unit waits before its repair starts (diagnosis, fetching it, spares)",
     "design choice: one shift of logistics delay"},
    {"regolith", "repair_age_restoration", LSIM_PARAM_REAL, "1", NULL, 0.0, 0.0, 1.0, NO_CHOICES, NO_TEXT,
     "fraction of the hazard age a repair removes (0: minimal repair, as bad as old; 1: as good as new)",
     "design choice: a repair replaces one part and leaves the rest as worn as before (Kijima type I, q = 1, "
     "docs/REFERENCES.md [Kijima1989])"},
};
/* clang-format on */

const size_t lsim_regolith_param_count = sizeof lsim_regolith_param_defs / sizeof lsim_regolith_param_defs[0];
