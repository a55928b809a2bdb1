package org.lockstep.internal.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The choice sequence that decides a simulated case: every random decision (how many
 * workers, which worker moves next, whether it crashes here) is one draw from the tape.
 * A fresh tape draws from a seeded {@link SplittableRandom} and records what it drew; a
 * replayed tape returns recorded values and 0 past its end.
 *
 * <p>Shrinking works on the recorded values alone (shorter, smaller), which is why every
 * generator maps 0 to the simplest choice: one worker, one script, no crash, the lowest
 * runnable worker.
 */
public final class Tape {
    private final SplittableRandom random;
    private final List<Integer> values;
    private int position;

    private Tape(SplittableRandom random, List<Integer> values) {
        this.random = random;
        this.values = values;
    }

    /** A tape that draws fresh values from the seed and records them. */
    static Tape fromSeed(long seed) {
        return new Tape(new SplittableRandom(seed), new ArrayList<>());
    }

    /** A tape that replays the given values, then draws 0. */
    static Tape replay(List<Integer> values) {
        return new Tape(null, new ArrayList<>(values));
    }

    /** Draws a value in {@code [0, bound)}; {@code bound} at least 1. */
    public int draw(int bound) {
        if (bound <= 1) {
            return 0;
        }
        int value;
        if (position < values.size()) {
            value = Math.floorMod(values.get(position), bound);
        } else if (random != null) {
            value = random.nextInt(bound);
            values.add(value);
        } else {
            value = 0;
        }
        position++;
        return value;
    }

    /** Returns true with probability {@code percent}/100; a zero draw is false. */
    public boolean chance(int percent) {
        return draw(100) >= 100 - percent;
    }

    /** Returns the values drawn so far (for a replayed tape: at most its recorded values). */
    List<Integer> used() {
        return List.copyOf(values.subList(0, Math.min(position, values.size())));
    }
}
