package com.openplatform.availability.wechat;

import com.openplatform.availability.records.AlertKind;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.DeliveryStatus;
import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.records.WarningRule;
import java.io.IOException;
import java.math.BigDecimal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The committables of {@link WechatAlertSink} (alerts recorded as PENDING, waiting for their
 * checkpoint to complete) in the committer's checkpointed state. Versioned: a new field means a new
 * version, and every version ever written stays readable.
 */
public final class AlertRequestSerializer implements SimpleVersionedSerializer<AlertRequest> {
    static final int VERSION = 3;

    /** Before the worst hour (docs/reference.md §6). */
    private static final int VERSION_WITHOUT_WORST_HOUR = 1;

    /** Before warnings (docs/reference.md §10): every alert a breach. */
    private static final int VERSION_WITHOUT_WARNINGS = 2;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(AlertRequest alert) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeLong(alert.getDeveloperId());
        out.writeUTF(alert.getWeekStart());
        out.writeLong(alert.getWeekStartMillis());
        out.writeLong(alert.getWeekEndMillis());
        out.writeUTF(alert.getOpenId());
        writeNullable(out, alert.getRole());
        writeNullable(out, alert.getAccountType());
        writeNullable(out, alert.getStatus() == null ? null : alert.getStatus().name());
        writeNullable(out, decimal(alert.getAvailability()));
        writeNullable(out, decimal(alert.getStandard()));
        out.writeLong(alert.getTotalCount());
        out.writeLong(alert.getFailedCount());
        writeNullable(
                out,
                alert.getMainFailureReason() == null ? null : alert.getMainFailureReason().name());
        writeNullable(out, alert.getWorstHourStart());
        out.writeLong(alert.getWorstHourFailed());
        out.writeLong(alert.getWorstHourTotal());
        out.writeUTF(alert.kind().name());
        writeNullable(out, alert.getRule() == null ? null : alert.getRule().name());
        out.writeLong(alert.getAsOfMillis());
        writeNullable(out, decimal(alert.getWindowAvailability()));
        return out.getCopyOfBuffer();
    }

    @Override
    public AlertRequest deserialize(int version, byte[] serialized) throws IOException {
        if (version < VERSION_WITHOUT_WORST_HOUR || version > VERSION) {
            throw new IOException("Unknown version " + version + " of a WeChat alert committable");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        AlertRequest alert = new AlertRequest();
        alert.setDeveloperId(in.readLong());
        alert.setWeekStart(in.readUTF());
        alert.setWeekStartMillis(in.readLong());
        alert.setWeekEndMillis(in.readLong());
        alert.setOpenId(in.readUTF());
        alert.setRole(readNullable(in));
        alert.setAccountType(readNullable(in));
        String status = readNullable(in);
        alert.setStatus(status == null ? null : DeliveryStatus.valueOf(status));
        String availability = readNullable(in);
        alert.setAvailability(availability == null ? null : new BigDecimal(availability));
        String standard = readNullable(in);
        alert.setStandard(standard == null ? null : new BigDecimal(standard));
        alert.setTotalCount(in.readLong());
        alert.setFailedCount(in.readLong());
        String reason = readNullable(in);
        alert.setMainFailureReason(reason == null ? null : FailureReason.valueOf(reason));
        if (version >= VERSION_WITHOUT_WARNINGS) {
            alert.setWorstHourStart(readNullable(in));
            alert.setWorstHourFailed(in.readLong());
            alert.setWorstHourTotal(in.readLong());
        }
        alert.setKind(AlertKind.BREACH);
        if (version >= VERSION) {
            alert.setKind(AlertKind.valueOf(in.readUTF()));
            String rule = readNullable(in);
            alert.setRule(rule == null ? null : WarningRule.valueOf(rule));
            alert.setAsOfMillis(in.readLong());
            String window = readNullable(in);
            alert.setWindowAvailability(window == null ? null : new BigDecimal(window));
        }
        return alert;
    }

    /** A deep copy, through the serialized form. */
    AlertRequest copy(AlertRequest alert) throws IOException {
        return deserialize(VERSION, serialize(alert));
    }

    private static String decimal(BigDecimal value) {
        return value == null ? null : value.toString();
    }

    private static void writeNullable(DataOutputView out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
