/* Fabrication lines: thin-film silicon panels and aluminium radiators. */
#include "fabrication.h"

#include <math.h>
#include <string.h>

#include "log.h"

#define G "fabrication"

const lsim_param_def lsim_fabrication_param_defs[] = {
    {G, "lines", LSIM_PARAM_REAL, "1", NULL, 1.0, 0.0, 1e12, NULL, NULL,
     "fabrication lines at the start (each one panel station and one radiator station)",
     "design choice: one Ignatiev-class cell paver to start (docs/REFERENCES.md [Ignatiev2005])"},
    {G, "line_mass", LSIM_PARAM_REAL, "kg", NULL, 200.0, 1.0, 1e7, NULL, NULL, "mass of one fabrication line",
     "docs/REFERENCES.md [Ignatiev2005]: the cell paver crawler weighs ~200 kg"},
    {G, "line_lunar_fraction", LSIM_PARAM_REAL, "1", NULL, 0.3, 0.0, 1.0, NULL, NULL,
     "share of a new line's mass made from lunar material",
     "design choice: frame and shields lunar; evaporators, pumps and electronics from Earth"},
    {G, "film_thickness", LSIM_PARAM_REAL, "m", "um", 2e-6, 1e-7, 1e-4, NULL, NULL,
     "thickness of the deposited silicon absorber film",
     "design choice: thin-film Si cells are a few um thick; Ignatiev's paver deposits such films on regolith glass (docs/REFERENCES.md [Horton2005])"},
    {G, "silicon_utilisation", LSIM_PARAM_REAL, "1", NULL, 0.5, 0.01, 1.0, NULL, NULL,
     "fraction of evaporated silicon that lands in the film (the rest is scraped back to the silicon stock)",
     "design choice: line-of-sight vacuum evaporation onto a moving substrate"},
    {G, "substrate", LSIM_PARAM_CHOICE, NULL, NULL, 0, 0, 0, "glass|aluminium", "glass",
     "panel substrate: regolith glass cast from slag, or aluminium foil",
     "docs/REFERENCES.md [Horton2005]: thin-film Si cells deposited on glass made from regolith simulant"},
    {G, "glass_thickness", LSIM_PARAM_REAL, "m", "mm", 2e-4, 1e-5, 1e-2, NULL, NULL,
     "regolith glass substrate thickness",
     "design choice: 0.1-0.3 mm drawn glass sheet, thin enough to keep kg/m2 near the SPS cells' 0.29 (docs/REFERENCES.md [Rockwell1976])"},
    {G, "glass_density", LSIM_PARAM_REAL, "kg m-3", NULL, 2900.0, 2000.0, 3500.0, NULL, NULL,
     "density of regolith glass",
     "docs/REFERENCES.md [Carrier1973]: grain specific gravity 2.90-3.24; glass taken at the low end"},
    {G, "foil_thickness", LSIM_PARAM_REAL, "m", "um", 25e-6, 1e-6, 1e-3, NULL, NULL,
     "aluminium foil substrate thickness (substrate = aluminium)", "design choice: self-supporting rolled foil"},
    {G, "contact_thickness", LSIM_PARAM_REAL, "m", "um", 1e-6, 0.0, 1e-4, NULL, NULL,
     "aluminium back-contact thickness", "design choice: evaporated Al back contact as in thin-film Si cells"},
    {G, "aluminium_density", LSIM_PARAM_REAL, "kg m-3", NULL, 2700.0, 2600.0, 2800.0, NULL, NULL,
     "density of aluminium", "docs/REFERENCES.md [CRCHandbook]: aluminium 2,700 kg/m3"},
    {G, "silicon_density", LSIM_PARAM_REAL, "kg m-3", NULL, 2330.0, 2200.0, 2400.0, NULL, NULL,
     "density of silicon", "docs/REFERENCES.md [CRCHandbook]: silicon 2,330 kg/m3"},
    {G, "efficiency", LSIM_PARAM_REAL, "1", NULL, 0.10, 0.001, 0.5, NULL, NULL,
     "panel conversion efficiency at AM0 (projected, beginning of life)",
     "docs/REFERENCES.md [Lang2025]: perovskite cells on simulated lunar glass 9.4-12.1%; docs/REFERENCES.md [Horton2005]: thin-film Si on regolith glass ~1%; 10% is a projection"},
    {G, "panel_line_rate", LSIM_PARAM_REAL, "m2 s-1", NULL, 4.7e-5, 0.0, 1e3, NULL, NULL,
     "panel area one line makes per second",
     "docs/REFERENCES.md [Ignatiev2005]: one cell paver lays ~100 kW in 6 months; at 10% x 1360.8 W/m2 that is 735 m2 per 1.58e7 s"},
    {G, "radiator_line_rate", LSIM_PARAM_REAL, "m2 s-1", NULL, 1e-4, 0.0, 1e3, NULL, NULL,
     "radiator area one line makes per second", "design choice: sheet casting and rolling, about twice the panel rate"},
    {G, "silicon_evaporation_energy", LSIM_PARAM_REAL, "J kg-1", "MJ/kg", 60e6, 15.6e6, 1e9, NULL, NULL,
     "energy per kg of silicon evaporated (heating, melting, vaporising, heater losses)",
     "design choice: ~25% heater efficiency over the 15.6 MJ/kg floor (docs/REFERENCES.md [CRCHandbook]: heat 298-1687 K, fusion 50.2 kJ/mol, vaporisation 359 kJ/mol); the range minimum is that floor"},
    {G, "glass_forming_energy", LSIM_PARAM_REAL, "J kg-1", "MJ/kg", 3e6, 1e5, 1e8, NULL, NULL,
     "energy per kg of glass substrate melted from slag and drawn",
     "design choice: ~1.2 kJ/(kg K) to 1700 K plus fusion (~2 MJ/kg) at 70% furnace efficiency"},
    {G, "aluminium_forming_energy", LSIM_PARAM_REAL, "J kg-1", "MJ/kg", 3e6, 1e5, 1e8, NULL, NULL,
     "energy per kg of aluminium remelted and rolled or evaporated into panels and radiators",
     "design choice: remelt (~1 MJ/kg: 0.9 kJ/(kg K) x 640 K + 397 kJ/kg fusion, docs/REFERENCES.md [CRCHandbook]) plus rolling and losses"},
    {G, "panel_process_energy", LSIM_PARAM_REAL, "J m-2", "MJ m-2", 1e6, 0.0, 1e9, NULL, NULL,
     "other energy per m2 of panel: vacuum, patterning, interconnects, handling",
     "design choice: no lunar data; about the glass-forming share, so process overheads are not ignored"},
    {G, "radiator_thickness", LSIM_PARAM_REAL, "m", "mm", 1e-3, 1e-5, 0.05, NULL, NULL,
     "thickness of the aluminium fin sheet bonded over the heat pipes",
     "design choice: 2.7 kg/m2 of sheet, lighter than assembled metal radiators' ~10 kg/m2 (docs/REFERENCES.md [Miller2008]); worth sweeping against radiator_pipe_spacing"},
    {G, "radiator_conductivity", LSIM_PARAM_REAL, "W m-1 K-1", NULL, 200.0, 1.0, 1e12, NULL, NULL,
     "thermal conductivity of the fin sheet (the range reaches far above any metal so the isothermal sheet is a limit of the fin)",
     "design choice: unalloyed lunar aluminium with some Fe and Si left in it, below pure aluminium's 237 W/(m K) at 300 K (docs/REFERENCES.md [CRCHandbook]); worth sweeping"},
    {G, "radiator_emissivity", LSIM_PARAM_REAL, "1", NULL, 0.90, 0.01, 1.0, NULL, NULL,
     "infrared emissivity of the radiator coating (both faces)",
     "docs/REFERENCES.md [Fortescue2011]: Table 11.3, silicate white paint alpha/eps 0.12/0.90"},
    {G, "radiator_absorptance", LSIM_PARAM_REAL, "1", NULL, 0.12, 0.0, 1.0, NULL, NULL,
     "solar absorptance of the radiator coating (the lit face)",
     "docs/REFERENCES.md [Fortescue2011]: Table 11.3, silicate white paint alpha/eps 0.12/0.90"},
    {G, "radiator_sun_incidence", LSIM_PARAM_REAL, "rad", "deg", 0.5 * 3.14159265358979323846, 0.0,
     0.5 * 3.14159265358979323846, NULL, NULL,
     "angle between the sunlight and the lit face's normal (90 deg: edge-on, no sunlight absorbed)",
     "design choice: radiators turned edge-on to the Sun, as sun-tracking power modules can hold them; worth sweeping (0 deg: face-on, 163 W/m2 absorbed at alpha 0.12)"},
    {G, "radiator_view_factor", LSIM_PARAM_REAL, "1", NULL, 1.0, 0.01, 1.0, NULL, NULL,
     "view factor from each radiator face to the sink",
     "design choice: a free-standing panel sees open space from both faces; lower it where panels or the array fill part of the view; worth sweeping"},
    {G, "radiator_pipe_spacing", LSIM_PARAM_REAL, "m", "cm", 0.18, 1e-3, 10.0, NULL, NULL,
     "heat-pipe pitch, centre to centre (fin half-width = (spacing - pipe diameter) / 2)",
     "design choice: near the spacing that maximises W/kg at the default thickness (0.178 m; attribute radiator_optimum_pipe_spacing); worth sweeping"},
    {G, "radiator_pipe_diameter", LSIM_PARAM_REAL, "m", "mm", 0.0127, 0.0, 0.2, NULL, NULL,
     "outer diameter of a heat pipe: the strip of sheet over it sits at the pipe's temperature",
     "design choice: 12.7 mm (1/2 in) grooved aluminium extrusion of the kind spacecraft ammonia heat pipes use (docs/REFERENCES.md [ACTGroovedWicks])"},
    {G, "radiator_pipe_mass_per_length", LSIM_PARAM_REAL, "kg m-1", NULL, 0.15, 0.0, 100.0, NULL, NULL,
     "lunar aluminium per metre of heat pipe (envelope, extruded grooves and bonding saddle)",
     "design choice: about 55 mm2 of aluminium in the section of a 12.7 mm grooved extrusion (docs/REFERENCES.md [ACTGroovedWicks]) x 2700 kg/m3; no published mass per metre was confirmed; worth sweeping"},
    {G, "radiator_pipe_fluid_mass_per_length", LSIM_PARAM_REAL, "kg m-1", NULL, 0.01, 0.0, 10.0, NULL, NULL,
     "Earth-made working fluid (ammonia) per metre of heat pipe",
     "design choice: ammonia filling the grooves (~15 mm2 of liquid at ~560 kg/m3) plus vapour; ammonia because water attacks aluminium, and from Earth because lunar nitrogen is scarce"},
    {G, "radiator_temperature", LSIM_PARAM_REAL, "K", NULL, 330.0, 150.0, 1000.0, NULL, NULL,
     "heat-pipe (fin root) temperature", "design choice: compute hardware rejecting heat at ~60 C"},
    {G, "sink_temperature", LSIM_PARAM_REAL, "K", NULL, 3.0, 0.0, 400.0, NULL, NULL,
     "effective radiative sink temperature",
     "design choice: deep space (2.7 K background); Earth IR neglected, sunlight set by radiator_sun_incidence"},
};
const size_t lsim_fabrication_param_count = sizeof lsim_fabrication_param_defs / sizeof lsim_fabrication_param_defs[0];

double lsim_fabrication_radiator_flux(double emissivity, double temperature, double sink_temperature)
{
    return lsim_radiator_isothermal_flux(emissivity, 1.0, temperature, sink_temperature, 0.0);
}

static double real(const lsim_params *p, const char *key) { return lsim_param_real(p, G, key); }

/* The radiator as a fin between heat pipes (radiator_fin.h): flux per m2 of panel, aluminium and
 * Earth-made mass per m2, and the pipe spacing that would maximise W/kg at this thickness. */
static lsim_status design_radiator(lsim_fabrication *f, const lsim_params *params, double al_density)
{
    lsim_radiator_fin_spec spec = {
        .root_temperature = real(params, "radiator_temperature"),
        .sink_temperature = real(params, "sink_temperature"),
        .thickness = real(params, "radiator_thickness"),
        .conductivity = real(params, "radiator_conductivity"),
        .density = al_density,
        .emissivity = real(params, "radiator_emissivity"),
        .view_factor = real(params, "radiator_view_factor"),
        .absorbed_flux = real(params, "radiator_absorptance") * f->solar_constant *
                         fmax(0.0, cos(real(params, "radiator_sun_incidence"))),
        .pipe_spacing = real(params, "radiator_pipe_spacing"),
        .pipe_diameter = real(params, "radiator_pipe_diameter"),
        .pipe_mass_per_length = real(params, "radiator_pipe_mass_per_length"),
        .pipe_earth_mass_per_length = real(params, "radiator_pipe_fluid_mass_per_length"),
    };
    lsim_status st = lsim_radiator_fin_check(&spec);
    if (st != LSIM_OK) return st;
    lsim_radiator_panel panel = lsim_radiator_panel_design(&spec);
    f->radiator_flux = panel.flux;
    f->radiator_areal_mass = panel.areal_mass_lunar;
    f->radiator_earth_areal_mass = panel.areal_mass_earth;
    f->radiator_power_per_mass = panel.power_per_mass;
    f->radiator_fin_efficiency = panel.fin.efficiency;
    f->radiator_tip_temperature = panel.fin.tip_temperature;
    f->radiator_isothermal_flux = panel.isothermal_flux;
    f->radiator_pipe_spacing = spec.pipe_spacing;
    /* From just wider than the pipe to 10 m, the parameter's upper bound. */
    lsim_radiator_panel best;
    f->radiator_optimum_pipe_spacing =
        lsim_radiator_optimum_spacing(&spec, fmax(1.001 * spec.pipe_diameter, 1e-3), 10.0, &best);
    f->radiator_optimum_power_per_mass = best.power_per_mass;
    f->radiator_optimum_fin_efficiency = best.fin.efficiency;
    return LSIM_OK;
}

/* The design view from the figures init derived. */
static void fill_design(lsim_fabrication *f)
{
    lsim_fabrication_design *d = &f->design;
    memset(d, 0, sizeof *d);
    d->substrate = f->substrate;
    d->panel_line_rate = f->panel_line_rate;
    d->radiator_line_rate = f->radiator_line_rate;
    d->efficiency = f->efficiency;
    d->solar_constant = f->solar_constant;
    d->panel_specific_power = f->panel_specific_power;
    d->panel_areal_mass = f->panel_areal_mass;
    d->panel_power_per_mass = f->panel_power_per_mass;
    d->panel_energy_per_area = f->panel_energy_per_area;
    d->silicon_areal_mass = f->silicon_areal_mass;
    d->aluminium_panel_areal_mass = f->aluminium_panel_areal_mass;
    d->glass_areal_mass = f->glass_areal_mass;
    d->radiator_flux = f->radiator_flux;
    d->radiator_areal_mass = f->radiator_areal_mass;
    d->radiator_power_per_mass = f->radiator_power_per_mass;
    d->radiator_energy_per_area = f->radiator_energy_per_area;
    d->radiator_earth_areal_mass = f->radiator_earth_areal_mass;
    d->radiator_isothermal_flux = f->radiator_isothermal_flux;
    d->radiator_fin_efficiency = f->radiator_fin_efficiency;
    d->radiator_tip_temperature = f->radiator_tip_temperature;
    d->radiator_pipe_spacing = f->radiator_pipe_spacing;
    d->radiator_optimum_pipe_spacing = f->radiator_optimum_pipe_spacing;
    d->radiator_optimum_power_per_mass = f->radiator_optimum_power_per_mass;
    d->radiator_optimum_fin_efficiency = f->radiator_optimum_fin_efficiency;
    d->line_mass_lunar = f->line_mass_lunar;
    d->line_mass_earth = f->line_mass_earth;
}

lsim_status lsim_fabrication_init(lsim_fabrication *f, const lsim_params *params, lsim_series_registry *series,
                                  uint64_t seed)
{
    (void)seed;
    memset(f, 0, sizeof *f);
    f->substrate = strcmp(lsim_param_text(params, G, "substrate"), "aluminium") == 0 ? LSIM_FABRICATION_SUBSTRATE_ALUMINIUM
                                                                                    : LSIM_FABRICATION_SUBSTRATE_GLASS;
    f->lines = real(params, "lines");
    f->radiator_duty = 1.0;
    f->panel_line_rate = real(params, "panel_line_rate");
    f->radiator_line_rate = real(params, "radiator_line_rate");
    f->efficiency = real(params, "efficiency");
    /* One solar constant for the whole chain: the one the surface bus uses
     * (docs/REFERENCES.md [Kopp2011]), so panels are rated in the light
     * they will be lit by. Kopp & Lean's value when the bus is not registered. */
    f->solar_constant = lsim_params_find(params, "power", "solar_constant") >= 0
                            ? lsim_param_real(params, "power", "solar_constant")
                            : LSIM_FABRICATION_SOLAR_CONSTANT;
    double al_density = real(params, "aluminium_density");
    double utilisation = real(params, "silicon_utilisation");

    f->silicon_areal_mass = real(params, "film_thickness") * real(params, "silicon_density");
    f->silicon_evaporated_per_area = f->silicon_areal_mass / utilisation;
    f->aluminium_panel_areal_mass = real(params, "contact_thickness") * al_density;
    if (f->substrate == LSIM_FABRICATION_SUBSTRATE_ALUMINIUM)
        f->aluminium_panel_areal_mass += real(params, "foil_thickness") * al_density;
    else
        f->glass_areal_mass = real(params, "glass_thickness") * real(params, "glass_density");
    f->panel_areal_mass = f->silicon_areal_mass + f->aluminium_panel_areal_mass + f->glass_areal_mass;
    f->panel_specific_power = f->efficiency * f->solar_constant;
    f->panel_power_per_mass = f->panel_specific_power / f->panel_areal_mass;
    double al_energy = real(params, "aluminium_forming_energy");
    f->panel_energy_per_area = f->silicon_evaporated_per_area * real(params, "silicon_evaporation_energy") +
                               f->glass_areal_mass * real(params, "glass_forming_energy") +
                               f->aluminium_panel_areal_mass * al_energy + real(params, "panel_process_energy");

    lsim_status st = design_radiator(f, params, al_density);
    if (st != LSIM_OK) return st;
    f->radiator_energy_per_area = f->radiator_areal_mass * al_energy;
    double line_mass = real(params, "line_mass");
    f->line_mass_lunar = line_mass * real(params, "line_lunar_fraction");
    f->line_mass_earth = line_mass - f->line_mass_lunar;
    fill_design(f);

    f->series = series;
    if (series) {
        f->sid_panel_area_rate = lsim_series_add(series, G, "panel_area_rate", "m2 s-1", "solar panel area produced", LSIM_SERIES_FLOW);
        f->sid_panel_mass_rate = lsim_series_add(series, G, "panel_mass_rate", "kg s-1", "solar panel mass produced", LSIM_SERIES_FLOW);
        f->sid_panel_power_rate = lsim_series_add(series, G, "panel_power_rate", "W s-1", "rated AM0 panel power produced per second", LSIM_SERIES_FLOW);
        f->sid_radiator_area_rate = lsim_series_add(series, G, "radiator_area_rate", "m2 s-1", "radiator area produced", LSIM_SERIES_FLOW);
        f->sid_radiator_mass_rate = lsim_series_add(series, G, "radiator_mass_rate", "kg s-1", "radiator mass produced", LSIM_SERIES_FLOW);
        f->sid_power = lsim_series_add(series, G, "power_draw", "W", "electric power used by fabrication", LSIM_SERIES_FLOW);
        f->sid_lines = lsim_series_add(series, G, "lines", "1", "fabrication lines installed", LSIM_SERIES_STOCK);
        /* In LSIM_FABRICATION_LIMIT_* order. */
        static const char *const limit_words[] = {"no_lines", "silicon", "aluminium", "glass", "power", "line_capacity"};
        f->sid_limit = lsim_series_add_code(series, G, "limit", "what limited production", limit_words,
                                            sizeof limit_words / sizeof limit_words[0]);
        lsim_series_group_attr(series, G, "panel_areal_mass", f->panel_areal_mass, "kg m-2");
        lsim_series_group_attr(series, G, "panel_specific_power", f->panel_specific_power, "W m-2");
        lsim_series_group_attr(series, G, "panel_power_per_mass", f->panel_power_per_mass, "W kg-1");
        lsim_series_group_attr(series, G, "panel_energy_per_area", f->panel_energy_per_area, "J m-2");
        lsim_series_group_attr(series, G, "radiator_areal_mass", f->radiator_areal_mass, "kg m-2");
        lsim_series_group_attr(series, G, "radiator_flux", f->radiator_flux, "W m-2");
        lsim_series_group_attr(series, G, "radiator_power_per_mass", f->radiator_power_per_mass, "W kg-1");
        lsim_series_group_attr(series, G, "radiator_energy_per_area", f->radiator_energy_per_area, "J m-2");
        lsim_series_group_attr(series, G, "radiator_earth_areal_mass", f->radiator_earth_areal_mass, "kg m-2");
        lsim_series_group_attr(series, G, "radiator_isothermal_flux", f->radiator_isothermal_flux, "W m-2");
        lsim_series_group_attr(series, G, "radiator_fin_efficiency", f->radiator_fin_efficiency, "1");
        lsim_series_group_attr(series, G, "radiator_tip_temperature", f->radiator_tip_temperature, "K");
        lsim_series_group_attr(series, G, "radiator_pipe_spacing", f->radiator_pipe_spacing, "m");
        lsim_series_group_attr(series, G, "radiator_optimum_pipe_spacing", f->radiator_optimum_pipe_spacing, "m");
        lsim_series_group_attr(series, G, "radiator_optimum_power_per_mass", f->radiator_optimum_power_per_mass, "W kg-1");
        lsim_series_group_attr(series, G, "radiator_optimum_fin_efficiency", f->radiator_optimum_fin_efficiency, "1");
        lsim_series_group_attr(series, G, "line_mass_lunar", f->line_mass_lunar, "kg");
        lsim_series_group_attr(series, G, "line_mass_earth", f->line_mass_earth, "kg");
    }
    return LSIM_OK;
}

static double positive_sum(const double v[LSIM_EL_COUNT])
{
    double total = 0.0;
    for (int e = 0; e < LSIM_EL_COUNT; ++e)
        if (v[e] > 0.0) total += v[e];
    return total;
}

/* Fractions of full line rate for panels and radiators; the constraint applied
 * last that cut them is the one that binds. */
typedef struct {
    double panel_area, radiator_area; /* m2 this step */
    int limit;
} plan;

static void scale_plan(plan *p, double factor, int limit, int panels_only)
{
    if (!(factor < 1.0)) return;
    if (factor < 0.0) factor = 0.0;
    p->panel_area *= factor;
    if (!panels_only) p->radiator_area *= factor;
    p->limit = limit;
}

static plan make_plan(const lsim_fabrication *f, double dt, double duty, double silicon, double aluminium, double glass,
                      double energy_granted)
{
    plan p;
    p.panel_area = f->lines > 0.0 ? f->lines * f->panel_line_rate * dt : 0.0;
    p.radiator_area = f->lines > 0.0 ? f->lines * f->radiator_line_rate * duty * dt : 0.0;
    p.limit = p.panel_area > 0.0 || p.radiator_area > 0.0 ? LSIM_FABRICATION_LIMIT_LINES : LSIM_FABRICATION_LIMIT_NONE;
    if (p.limit == LSIM_FABRICATION_LIMIT_NONE) return p;
    if (silicon < 0.0) silicon = 0.0;
    if (aluminium < 0.0) aluminium = 0.0;

    double need = f->silicon_areal_mass * p.panel_area;
    if (need > silicon) scale_plan(&p, silicon / need, LSIM_FABRICATION_LIMIT_SILICON, 1);
    need = f->glass_areal_mass * p.panel_area;
    if (need > glass) scale_plan(&p, glass / need, LSIM_FABRICATION_LIMIT_GLASS, 1);
    need = f->aluminium_panel_areal_mass * p.panel_area + f->radiator_areal_mass * p.radiator_area;
    if (need > aluminium) scale_plan(&p, aluminium / need, LSIM_FABRICATION_LIMIT_ALUMINIUM, 0);
    need = f->panel_energy_per_area * p.panel_area + f->radiator_energy_per_area * p.radiator_area;
    /* A grant computed from this same plan may round an ulp below `need`:
     * that is full power, not a power limit. */
    if (need > energy_granted * (1.0 + 1e-12)) scale_plan(&p, energy_granted / need, LSIM_FABRICATION_LIMIT_POWER, 0);
    return p;
}

double lsim_fabrication_radiator_duty_for(const lsim_fabrication *f, double rejection_wanted)
{
    double capacity = f->lines * f->radiator_line_rate * f->radiator_flux; /* W s-1 at full duty */
    if (!(rejection_wanted > 0.0) || !(capacity > 0.0)) return 0.0;
    return fmin(1.0, rejection_wanted / capacity);
}

static double demand_at_duty(const lsim_fabrication *f, const lsim_clock *clock, double duty, double silicon,
                             double aluminium, const double slag_by_element[LSIM_EL_COUNT])
{
    plan p = make_plan(f, clock->dt, duty, silicon, aluminium, positive_sum(slag_by_element), INFINITY);
    return (f->panel_energy_per_area * p.panel_area + f->radiator_energy_per_area * p.radiator_area) / clock->dt;
}

double lsim_fabrication_power_demand_for(const lsim_fabrication *f, const lsim_clock *clock, double silicon,
                                         double aluminium, const double slag_by_element[LSIM_EL_COUNT],
                                         double rejection_wanted)
{
    return demand_at_duty(f, clock, lsim_fabrication_radiator_duty_for(f, rejection_wanted), silicon, aluminium,
                          slag_by_element);
}

double lsim_fabrication_power_demand(const lsim_fabrication *f, const lsim_clock *clock, double silicon,
                                     double aluminium, const double slag_by_element[LSIM_EL_COUNT])
{
    return demand_at_duty(f, clock, f->radiator_duty, silicon, aluminium, slag_by_element);
}

/* One step at the duty f->radiator_duty holds. */
static void step_at_duty(lsim_fabrication *f, const lsim_clock *clock, double power_granted_W, double *silicon,
                         double *aluminium, double slag_by_element[LSIM_EL_COUNT], lsim_fabrication_products *out,
                         lsim_fabrication_step_result *result)
{
    double dt = clock->dt;
    double glass_available = positive_sum(slag_by_element);
    double energy_granted = power_granted_W > 0.0 ? power_granted_W * dt : 0.0;
    plan p = make_plan(f, dt, f->radiator_duty, *silicon, *aluminium, glass_available, energy_granted);
    /* Written in place, after a memset, so a checkpointed copy compares byte for byte. */
    lsim_fabrication_step_result *r = &f->last;
    memset(r, 0, sizeof *r);

    /* Masses taken; the min() guards keep a ratio's last-ulp rounding from overdrawing a stock. */
    double si_available = *silicon > 0.0 ? *silicon : 0.0;
    double al_available = *aluminium > 0.0 ? *aluminium : 0.0;
    double si = fmin(f->silicon_areal_mass * p.panel_area, si_available);
    double al_panel = fmin(f->aluminium_panel_areal_mass * p.panel_area, al_available);
    double al_radiator = fmin(f->radiator_areal_mass * p.radiator_area, al_available - al_panel);
    double glass_wanted = f->glass_areal_mass * p.panel_area;
    double glass_fraction = glass_available > 0.0 ? glass_wanted / glass_available : 0.0;
    if (glass_fraction > 1.0) glass_fraction = 1.0;

    /* Glass is cast from slag as it is: every element in proportion. */
    double glass = 0.0;
    for (int e = 0; e < LSIM_EL_COUNT; ++e) {
        double available = slag_by_element[e] > 0.0 ? slag_by_element[e] : 0.0;
        double take = glass_fraction == 1.0 ? available : available * glass_fraction;
        slag_by_element[e] -= take;
        r->glass_by_element[e] = take;
        glass += take;
    }
    /* The two aluminium draws each fit; their sum may round an ulp above the stock. */
    double al_total = al_panel + al_radiator;
    if (al_total > al_available) {
        al_total = al_available;
        al_radiator = al_total - al_panel > 0.0 ? al_total - al_panel : 0.0;
    }
    *silicon -= si;
    *aluminium -= al_total;

    double energy = f->panel_energy_per_area * p.panel_area + f->radiator_energy_per_area * p.radiator_area;
    double power = energy / dt;
    if (power > power_granted_W) power = power_granted_W > 0.0 ? power_granted_W : 0.0;

    r->silicon = si;
    r->aluminium = al_total;
    r->glass = glass;
    r->panel_area = p.panel_area;
    r->panel_mass = si + al_panel + glass;
    r->panel_power = p.panel_area * f->panel_specific_power;
    r->radiator_area = p.radiator_area;
    r->radiator_mass = al_radiator;
    r->radiator_rejection = p.radiator_area * f->radiator_flux;
    r->radiator_duty = f->radiator_duty;
    r->power = power;
    r->limit = p.limit;

    if (out) {
        for (int e = 0; e < LSIM_EL_COUNT; ++e) out->panel_mass_by_element[e] += r->glass_by_element[e];
        out->panel_mass_by_element[LSIM_EL_SI] += si;
        out->panel_mass_by_element[LSIM_EL_AL] += al_panel;
        out->panel_area += r->panel_area;
        out->panel_mass += r->panel_mass;
        out->panel_power += r->panel_power;
        out->radiator_area += r->radiator_area;
        out->radiator_mass += r->radiator_mass;
    }

    /* The older face's fields mirror the result. */
    f->last_silicon = r->silicon;
    f->last_aluminium = r->aluminium;
    f->last_glass = r->glass;
    memcpy(f->last_glass_by_element, r->glass_by_element, sizeof f->last_glass_by_element);
    f->last_panel_area = r->panel_area;
    f->last_panel_mass = r->panel_mass;
    f->last_radiator_mass = r->radiator_mass;
    f->last_power = r->power;
    f->last_limit = r->limit;
    if (result) *result = *r;

    if (f->series) {
        lsim_series_registry *s = f->series;
        lsim_series_put(s, f->sid_panel_area_rate, r->panel_area / dt);
        lsim_series_put(s, f->sid_panel_mass_rate, r->panel_mass / dt);
        lsim_series_put(s, f->sid_panel_power_rate, r->panel_power / dt);
        lsim_series_put(s, f->sid_radiator_area_rate, r->radiator_area / dt);
        lsim_series_put(s, f->sid_radiator_mass_rate, r->radiator_mass / dt);
        lsim_series_put(s, f->sid_power, power);
        lsim_series_put(s, f->sid_lines, f->lines);
        lsim_series_put(s, f->sid_limit, (double)p.limit);
    }
}

double lsim_fabrication_advance(lsim_fabrication *f, const lsim_clock *clock, double power_granted_W,
                                double rejection_wanted, double *silicon, double *aluminium,
                                double slag_by_element[LSIM_EL_COUNT], lsim_fabrication_products *out,
                                lsim_fabrication_step_result *result)
{
    /* The duty is an input now; it is kept so a checkpoint and the older face see the one last used. */
    f->radiator_duty = lsim_fabrication_radiator_duty_for(f, rejection_wanted);
    step_at_duty(f, clock, power_granted_W, silicon, aluminium, slag_by_element, out, result);
    return f->last.power;
}

double lsim_fabrication_step(lsim_fabrication *f, const lsim_clock *clock, double power_granted_W, double *silicon,
                             double *aluminium, double slag_by_element[LSIM_EL_COUNT], lsim_fabrication_products *out)
{
    step_at_duty(f, clock, power_granted_W, silicon, aluminium, slag_by_element, out, NULL);
    return f->last.power;
}

const lsim_fabrication_step_result *lsim_fabrication_last_result(const lsim_fabrication *f) { return &f->last; }

const lsim_fabrication_design *lsim_fabrication_design_view(const lsim_fabrication *f) { return &f->design; }

double lsim_fabrication_line_count(const lsim_fabrication *f) { return f->lines; }

lsim_status lsim_fabrication_add_lines(lsim_fabrication *f, double count, const lsim_clock *clock)
{
    if (!(count >= 0.0) || !isfinite(count))
        return lsim_fail(LSIM_ERR_INPUT, "fabrication: cannot add %g lines", count);
    f->lines += count;
    lsim_log(LSIM_LOG_DEBUG, "fabrication: +%g lines at t = %g s, now %g", count, clock ? lsim_clock_time(clock) : 0.0,
             f->lines);
    return LSIM_OK;
}

lsim_status lsim_fabrication_set_lines(lsim_fabrication *f, double count)
{
    if (!(count >= 0.0) || !isfinite(count)) return lsim_fail(LSIM_ERR_RUN, "fabrication: cannot set %g lines", count);
    f->lines = count;
    return LSIM_OK;
}

void lsim_fabrication_free(lsim_fabrication *f)
{
    if (f) memset(f, 0, sizeof *f);
}
