package org.lockstep.cli.bench;

import java.util.List;

/** One section of the benchmark, numbered as in the issue that asked for it. */
interface Section {

    /** Returns the section's number, 1 to 8. */
    int number();

    /** Returns the section's title. */
    String title();

    /**
     * Measures.
     *
     * @param bench the shared workbench
     * @return the rows of the report, in order
     * @throws BenchmarkFailure if a worker failed or an invariant did not hold
     * @throws Exception if the measurement could not be made
     */
    List<Result> run(Workbench bench) throws Exception;
}
