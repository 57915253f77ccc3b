package com.openplatform.availability.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniCluster of the pipeline tests: one TaskManager with 2 slots (parallelism 2). */
public final class MiniClusters {
    private MiniClusters() {}

    public static MiniClusterExtension twoSlots(Configuration config) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setConfiguration(config)
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .build());
    }
}
