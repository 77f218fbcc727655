/* What the regolith module's tests may reach of its inside; not installed. */
#ifndef LSIM_REGOLITH_INTERNAL_H
#define LSIM_REGOLITH_INTERNAL_H

/* The agents' wear kernel has a portable pass (vectorised by the compiler for
 * the build's baseline instruction set) and, on x86-64 CPUs that have it, an
 * AVX2 pass chosen at run time; both give the same bits. A non-zero `force`
 * makes every later step use the portable pass, so a test can compare the
 * two on one machine; 0 restores the choice by CPU. Returns whether this CPU
 * runs the AVX2 pass when not forced. Call between steps, not during one. */
int lsim_regolith_fleet_agents_force_portable(int force);

#endif
