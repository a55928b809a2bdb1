package org.lockstep.internal.sim;

import java.util.random.RandomGenerator;

/** The backoff's jitter, drawn from the tape so that it replays and shrinks with the case. */
final class TapeRandom implements RandomGenerator {
    private final Tape tape;

    TapeRandom(Tape tape) {
        this.tape = tape;
    }

    @Override
    public long nextLong() {
        return ((long) tape.draw(Integer.MAX_VALUE) << 31) ^ tape.draw(Integer.MAX_VALUE);
    }

    @Override
    public long nextLong(long bound) {
        return tape.draw((int) Math.min(bound, Integer.MAX_VALUE));
    }
}
