// One seed for every fast-check property in the suite, so that CI runs the same generated cases each time and a
// failure can be replayed; set FUZZ_SEED to explore other cases (a failing run prints its seed and path).
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FUZZ_SEED ?? 20261130) });
