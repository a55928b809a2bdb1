package org.lockstep.internal.adopt;

import java.util.List;
import org.lockstep.AdoptResult;

/**
 * What one tool's history says.
 *
 * @param claims the migrations it says are applied, in its order
 * @param notAdopted what it holds that is reported and not recorded
 */
record Reading(List<Claim> claims, List<AdoptResult.NotAdopted> notAdopted) {
    Reading {
        claims = List.copyOf(claims);
        notAdopted = List.copyOf(notAdopted);
    }
}
