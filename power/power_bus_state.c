/* Checkpoint of the power bus: the stocks and capacities that growth and
 * stepping change, and the last step's flows (the chain reads them after a
 * step). Site, illumination pattern, efficiencies and base load are rebuilt
 * from the deck at init. */
#include "power_bus.h"

#include "state.h"

lsim_status lsim_power_state(lsim_power_bus *bus, lsim_state *s)
{
    /* Degradation multiplies the rating each step and growth adds to it, so
     * the rating is state, not a parameter. */
    struct {
        const char *name;
        double *value;
    } fields[] = {
        {"power.array_rated_power", &bus->array_rated_power},
        {"power.storage_capacity", &bus->storage_capacity},
        {"power.stored_energy", &bus->stored_energy},
        {"power.charge_limit", &bus->charge_limit},
        {"power.discharge_limit", &bus->discharge_limit},
        {"power.generated", &bus->generated},
        {"power.demand", &bus->demand},
        {"power.delivered", &bus->delivered},
        {"power.charged", &bus->charged},
        {"power.discharged", &bus->discharged},
        {"power.curtailed", &bus->curtailed},
        {"power.unmet", &bus->unmet},
        {"power.losses", &bus->losses},
        {"power.illumination", &bus->illumination},
        /* The array's area decides its lit share at the polar site with a
         * curve; the share is kept as saved, not recomputed, so a resumed
         * run continues bit for bit. */
        {"power.array_area", &bus->array_area},
        {"power.lit_fraction", &bus->light.lit_fraction},
    };
    lsim_status st = LSIM_OK;
    for (size_t i = 0; st == LSIM_OK && i < sizeof fields / sizeof fields[0]; ++i)
        st = lsim_state_f64(s, fields[i].name, fields[i].value, 1);
    return st;
}
