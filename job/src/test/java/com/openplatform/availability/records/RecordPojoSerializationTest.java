package com.openplatform.availability.records;

import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every record that travels between operators or sits in state is a Flink POJO, not Kryo. */
class RecordPojoSerializationTest {
    @ParameterizedTest
    @ValueSource(
            classes = {
                CallbackEvent.class,
                CallbackRecord.class,
                DeadLetter.class,
                RawRecord.class,
                StandardUpdate.class,
                StandardHistory.class,
                WechatBinding.class,
                WeeklyCounts.class,
                CallbackTypeCount.class,
                WeeklyResult.class,
                AlertRequest.class,
                AlertedWeek.class,
                InWeekCounts.class,
                WeekToDate.class,
                WeekToDateRow.class,
                WarnedWeek.class,
            })
    void recordIsSerializedAsAPojoWithoutKryo(Class<?> record) {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(record);
    }
}
