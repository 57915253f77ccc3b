package com.openplatform.availability.records;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The standard versions known for one developerId, minus those that can never be chosen again.
 *
 * <p>A week ending at {@code E} takes the highest version among those with {@code effectiveFrom <
 * E}; on equal versions the later {@code effectiveFrom} wins. A version is dropped once another
 * with a higher version and an earlier or equal {@code effectiveFrom} exists, since the other wins
 * every week this one could apply to.
 */
public class StandardHistory {
    private List<StandardUpdate> versions = new ArrayList<>();

    public StandardHistory() {}

    /**
     * Records an update.
     *
     * @return whether the choice of standard may have changed for some week
     */
    public boolean add(StandardUpdate update) {
        for (int i = 0; i < versions.size(); i++) {
            StandardUpdate known = versions.get(i);
            if (known.getVersion() == update.getVersion()
                    && known.getEffectiveFrom() == update.getEffectiveFrom()) {
                if (known.getStandard().compareTo(update.getStandard()) == 0) {
                    return false;
                }
                versions.set(i, update);
                return true;
            }
            if (dominates(known, update)) {
                return false;
            }
        }
        versions.removeIf(known -> dominates(update, known));
        versions.add(update);
        return true;
    }

    /** The standard for a week that ends at {@code weekEnd}, or {@code null} if none applies. */
    public BigDecimal standardFor(long weekEnd) {
        StandardUpdate chosen = null;
        for (StandardUpdate candidate : versions) {
            if (candidate.getEffectiveFrom() < weekEnd
                    && (chosen == null
                            || candidate.getVersion() > chosen.getVersion()
                            || (candidate.getVersion() == chosen.getVersion()
                                    && candidate.getEffectiveFrom() > chosen.getEffectiveFrom()))) {
                chosen = candidate;
            }
        }
        return chosen == null ? null : chosen.getStandard();
    }

    private static boolean dominates(StandardUpdate winner, StandardUpdate loser) {
        return winner.getVersion() > loser.getVersion()
                && winner.getEffectiveFrom() <= loser.getEffectiveFrom();
    }

    public List<StandardUpdate> getVersions() {
        return versions;
    }

    public void setVersions(List<StandardUpdate> versions) {
        this.versions = versions;
    }
}
