/* Launcher variant "coil": the coil-by-coil driver of coil_design.h, solved
 * at init from the deck. Its design figures (efficiency, heat, the rate set
 * by heat or recharge, the masses from conductor, banks, radiators,
 * structure, return track and bucket fleet) replace the first-order ones; the
 * representative stages go to the output as the table /massdriver/stages.
 * It keeps no evolving state: everything is rebuilt from the deck. */
#include "coil_design.h"
#include "launcher.h"
#include "launcher_physics.h"

#include <stdlib.h>
#include <string.h>

static const char *const SECTION = "massdriver";

static double real(const lsim_params *params, const char *key) { return lsim_param_real(params, SECTION, key); }

/* The design input from the deck. The bucket coil's radius and build are
 * ratios of the drive coil's inner radius, so every deck within the ranges
 * gives windings that do not touch. Filament grids: design choice, 2 x 3 for
 * the drive and 2 x 2 for the bucket (midpoint rule, ~1% on M' at the
 * default pitch; coil_physics.h). */
static void read_input(const lsim_params *params, lsim_coil_design_input *in)
{
    double r_in = real(params, "coil_drive_inner_radius"), depth = real(params, "coil_drive_depth");
    in->exit_speed = real(params, "exit_speed");
    in->acceleration_limit = real(params, "acceleration");
    in->limit_is_mean = strcmp(lsim_param_text(params, SECTION, "coil_acceleration_basis"), "mean") == 0;
    in->payload_mass = real(params, "payload_per_launch");
    in->bucket_mass = real(params, "bucket_mass");
    in->drive = (lsim_coil_geometry){r_in + 0.5 * depth, depth, real(params, "coil_drive_length"),
                                     real(params, "coil_drive_turns"), 2, 3};
    in->bucket = (lsim_coil_geometry){real(params, "coil_bucket_radius_ratio") * r_in,
                                      real(params, "coil_bucket_depth_ratio") * r_in,
                                      real(params, "coil_bucket_length"), real(params, "coil_bucket_turns"), 2, 2};
    in->conductor = lsim_coil_conductor_find(lsim_param_text(params, SECTION, "coil_conductor"));
    in->fill_factor = real(params, "coil_fill_factor");
    in->bucket_current = real(params, "coil_bucket_current");
    in->stage_pitch = real(params, "coil_stage_pitch");
    in->circuit_resistance = real(params, "coil_circuit_resistance");
    in->temperature_limit = real(params, "coil_temperature_limit");
    in->radiator_area = real(params, "coil_radiator_area");
    in->emissivity = real(params, "coil_emissivity");
    in->sink_temperature = real(params, "coil_sink_temperature");
    in->bank_energy_density = real(params, "coil_bank_energy_density");
    in->charger_power = real(params, "coil_charger_power");
    in->structure_mass_per_length = real(params, "coil_structure_mass_per_length");
    in->radiator_areal_mass = real(params, "coil_radiator_areal_mass");
    in->switch_mass_per_stage = real(params, "coil_switch_mass_per_stage");
    in->return_speed = real(params, "coil_return_speed");
    in->injection_speed = in->return_speed;
    in->return_extra_length = real(params, "coil_return_extra_length");
    in->return_mass_per_length = real(params, "coil_return_mass_per_length");
    in->loading_time = real(params, "coil_loading_time");
    /* Design choice: 32 RK4 steps per half-period; the energy books close to
     * ~1e-6 of the launch there (test_massdriver_coil_design). */
    in->steps_per_pulse = 32;
}

lsim_status lsim_launcher_coil_design(const lsim_params *params, lsim_launcher_design *d, void **model)
{
    *model = NULL;
    lsim_coil_design *c = malloc(sizeof *c);
    if (!c) return lsim_fail(LSIM_ERR_RUN, "coil launcher: out of memory");
    lsim_coil_design_input in;
    read_input(params, &in);
    lsim_status st = lsim_coil_design_solve(&in, c);
    if (st != LSIM_OK) {
        free(c);
        return st;
    }
    double v = in.exit_speed, m_p = in.payload_mass, m_b = in.bucket_mass;
    d->exit_speed = v;
    d->payload_per_launch = m_p;
    d->bucket_mass = m_b;
    d->energy_per_launch = c->energy_per_launch;
    d->energy_per_kg = d->energy_per_launch / m_p;
    d->kinetic_energy_per_kg = lsim_massdriver_kinetic_energy_per_kg(v);
    d->electrical_efficiency = c->efficiency;
    d->heat_per_launch = c->heat + c->brake_heat;
    d->max_launch_rate = c->max_launch_rate;
    d->max_rate_cause = c->heat_binds ? LSIM_MASSDRIVER_LIMIT_HEAT : LSIM_MASSDRIVER_LIMIT_RECHARGE;
    d->track_length = c->track_length;
    d->acceleration_time = c->acceleration_time;
    d->peak_force_per_launch = c->peak_force;
    d->peak_power_per_launch = c->peak_power;
    d->driver_lunar_mass = c->lunar_mass;
    d->driver_earth_mass = c->earth_mass;
    d->release.exit_speed = v;
    d->release.elevation = real(params, "launch_elevation");
    d->release.sigma_speed = real(params, "speed_error_sigma");
    d->release.sigma_angle = real(params, "pointing_error_sigma");
    *model = c;
    return LSIM_OK;
}

void lsim_launcher_coil_free(void *model)
{
    if (!model) return;
    lsim_coil_design_free(model);
    free(model);
}

/* Columns of /massdriver/stages: one row per representative stage
 * (accelerating, then braking), see coil_design.h. */
#define STAGE_COLUMNS                                                                                          \
    "stage,position,entry_speed,exit_speed,capacitance,voltage,peak_current,peak_voltage,peak_force,peak_power," \
    "heat,coil_heat,bank_energy,bank_energy_drawn,braking"
#define STAGE_UNITS "1,m,m s-1,m s-1,F,V,A,V,N,W,J,J,J,J,1"
enum { STAGE_COLS = 15 };

void lsim_launcher_coil_write_profiles(const void *model, lsim_series_registry *reg, const char *group)
{
    const lsim_coil_design *c = model;
    const struct {
        const char *name;
        double value;
        const char *units;
    } attrs[] = {
        {"coil_stages", (double)c->stages, "1"},
        {"coil_stage_pitch", c->in.stage_pitch, "m"},
        {"coil_mean_acceleration", c->mean_acceleration, "m s-2"},
        {"coil_peak_acceleration", c->peak_acceleration, "m s-2"},
        {"coil_inductance", c->inductance, "H"},
        {"coil_resistance", c->coil_resistance, "ohm"},
        {"coil_bank_energy_drawn", c->bank_energy_drawn, "J"},
        {"coil_kinetic_energy", c->kinetic_energy, "J"},
        {"coil_efficiency", c->efficiency, "1"},
        {"coil_heat", c->coil_heat, "J"},
        {"coil_circuit_heat", c->heat - c->coil_heat, "J"},
        {"coil_peak_current", c->peak_current, "A"},
        {"coil_peak_voltage", c->peak_voltage, "V"},
        {"coil_peak_bank_power", c->peak_power, "W"},
        {"coil_bank_energy", c->bank_energy, "J"},
        {"coil_bank_mass", c->bank_mass, "kg"},
        {"coil_conductor_mass_per_length", c->conductor_mass_per_length, "kg m-1"},
        {"coil_lunar_mass_per_length", c->lunar_mass_per_length, "kg m-1"},
        {"coil_earth_mass_per_length", c->earth_mass_per_length, "kg m-1"},
        {"coil_radiator_mass", c->radiator_mass, "kg"},
        {"coil_max_stage_coil_heat", c->max_stage_coil_heat, "J"},
        {"coil_radiated_power_per_stage", c->radiated_power_per_stage, "W"},
        {"coil_heat_rate_limit", c->heat_rate_limit, "s-1"},
        {"coil_recharge_rate_limit", c->recharge_rate_limit, "s-1"},
        {"coil_heat_binds", (double)c->heat_binds, "1"},
        {"coil_steady_temperature", c->steady_temperature, "K"},
        {"coil_mean_power", c->mean_power, "W"},
        {"coil_brake_stages", c->brake_stages, "1"},
        {"coil_brake_length", c->brake_length, "m"},
        {"coil_brake_heat", c->brake_heat, "J"},
        {"coil_energy_recovered", c->energy_recovered, "J"},
        {"coil_return_length", c->return_length, "m"},
        {"coil_cycle_time", c->cycle_time, "s"},
        {"coil_bucket_fleet", c->bucket_fleet, "1"},
    };
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; ++i)
        lsim_series_group_attr(reg, group, attrs[i].name, attrs[i].value, attrs[i].units);

    double rows[(LSIM_COIL_MAX_CLASSES + LSIM_COIL_BRAKE_CLASSES) * STAGE_COLS];
    size_t n = 0;
    for (int b = 0; b < 2; ++b) {
        int count = b ? c->n_brake : c->n_classes;
        const lsim_coil_class *cls = b ? c->brake : c->cls;
        for (int k = 0; k < count; ++k, ++n) {
            const lsim_coil_class *s = &cls[k];
            double row[STAGE_COLS] = {s->stage,       s->position,     s->entry_speed, s->exit_speed,
                                      s->capacitance, s->voltage,      s->peak_current, s->peak_voltage,
                                      s->peak_force,  s->peak_power,   s->heat,        s->coil_heat,
                                      s->bank_energy, s->bank_energy_drawn, (double)b};
            memcpy(&rows[n * STAGE_COLS], row, sizeof row);
        }
    }
    lsim_series_group_table(reg, group, "stages", n, STAGE_COLS, rows, STAGE_COLUMNS, STAGE_UNITS,
                            "representative stages of the coil launcher (accelerating, then braking; stage: index, "
                            "or braking stages before it)");
}
