package com.openplatform.availability.benchmark;

import com.openplatform.availability.records.CallbackEvent;
import com.openplatform.availability.records.CallbackEventParser;
import com.openplatform.availability.records.CallbackRecord;
import com.openplatform.availability.testkit.LoadGenerator;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code bin/benchmark --parser}: the job's record parser alone, in nanoseconds per record, over
 * distinct generated records (malformed ones included) held in memory, so that the figure includes
 * reading each record's bytes from memory as the job does, not one record hot in the cache.
 */
final class ParserBenchmark {
    private static final int WARM_UP_PASSES = 4;
    private static final int MEASURED_PASSES = 8;

    private ParserBenchmark() {}

    static void run(long events, Path workDir, PrintStream out) throws Exception {
        Files.createDirectories(workDir);
        Path file = workDir.resolve("parser-records.ndjson");
        LoadGenerator.run(new LoadGenerator.Options().file(file.toString()).events(events), null);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        byte[][] records = new byte[lines.size()][];
        for (int r = 0; r < records.length; r++) {
            records[r] = lines.get(r).getBytes(StandardCharsets.UTF_8);
        }
        lines = null;
        CallbackEventParser parser = new CallbackEventParser();
        long checksum = 0;
        double best = Double.MAX_VALUE;
        double sum = 0;
        for (int pass = 0; pass < WARM_UP_PASSES + MEASURED_PASSES; pass++) {
            long began = System.nanoTime();
            for (byte[] record : records) {
                CallbackRecord parsed = parser.parseRecord(record);
                CallbackEvent event = parsed.getEvent();
                checksum += event == null ? 1 : event.getLatencyMs();
            }
            double perRecord = (System.nanoTime() - began) / (double) records.length;
            if (pass >= WARM_UP_PASSES) {
                best = Math.min(best, perRecord);
                sum += perRecord;
            }
        }
        out.printf(
                Locale.ROOT,
                "parser: %,d records, %d passes: %.0f ns/record on average, %.0f at best"
                        + " (checksum %d)%n",
                records.length,
                MEASURED_PASSES,
                sum / MEASURED_PASSES,
                best,
                checksum);
    }
}
