package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.examples.TrafficScript;
import io.trafficanalyzer.web.TrafficDashboard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static io.trafficanalyzer.examples.TrafficScript.A;
import static io.trafficanalyzer.examples.TrafficScript.B;
import static io.trafficanalyzer.examples.TrafficScript.R1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code report --percentile} on a capture whose 5-minute rates the test chooses: every packet is 1500 IP bytes, so
 * an interval with n packets one way is n * 40 bit/s. The expected percentiles are computed here from the counts by
 * the nearest-rank rule, independently of the document's code.
 */
class PercentileReportTest
{
    private static final int PACKET = 1500;
    private static final long RATE_PER_PACKET = PACKET * 8 / 300;
    private static final String CSV_HEADER =
        "direction,percentile_bits_per_second,peak_bits_per_second,peak_time,bytes\r\n";
    /* 20 intervals in October, 40 in November. */
    private static final Instant CLUSTER1 = Instant.parse("2026-10-31T22:20:00Z");
    /* 12 intervals on the 14th, 12 on the 15th. */
    private static final Instant CLUSTER2 = Instant.parse("2026-11-14T23:00:00Z");

    @TempDir
    static Path dir;

    /* interval start -> packets {A in, A out, B in} */
    private static final TreeMap<Instant, int[]> COUNTS = new TreeMap<>();
    private static final List<String> CAPTURES = new ArrayList<>();
    private static String db;
    private static TrafficDashboard dashboard;
    private static String base;
    private static Instant dataEnd;

    @BeforeAll
    static void replayAndServe()
    {
        for (int k = 0; k < 60; k++)
        {
            // all distinct for A in; nothing of A for k 30-39, nothing at all (no bucket) for 35-39
            final boolean quietA = k >= 30 && k < 40;
            final int aIn = quietA ? 0 : (k * 7) % 61 + 1;
            final int aOut = quietA ? 0 : (k * 11) % 13 + 1;
            final int bIn = k >= 35 && k < 40 ? 0 : k % 5 + 1;
            COUNTS.put(CLUSTER1.plusSeconds(300L * k), new int[]{ aIn, aOut, bIn });
        }
        for (int k = 0; k < 24; k++)
        {
            COUNTS.put(CLUSTER2.plusSeconds(300L * k), new int[]{ (k * 5) % 29 + 1, 2, 0 });
        }

        // an interval's packets fall in its first and sixteenth 10 s bucket; 25 intervals (at most 50 buckets) per
        // file and run, so that the store keeps up with the replay and no pending buckets merge into wider ones
        long last = 0;
        TrafficScript script = new TrafficScript();
        int inScript = 0;
        for (final var entry : COUNTS.entrySet())
        {
            final long t0 = entry.getKey().getEpochSecond() * 1_000_000_000L;
            final int[] counts = entry.getValue();
            for (int j = 0; j < Math.max(counts[0], counts[1]); j++)
            {
                if (j < counts[0])
                {
                    script.tcp(t0 + j * 10_000_000L, R1, A, 443, 50000, PACKET);
                }
                if (j < counts[1])
                {
                    script.tcp(t0 + j * 10_000_000L + 5_000_000L, A, R1, 50000, 443, PACKET);
                }
                last = Math.max(last, t0);
            }
            for (int j = 0; j < counts[2]; j++)
            {
                script.tcp(t0 + 150_000_000_000L + j * 10_000_000L, R1, B, 443, 50001, PACKET);
                last = Math.max(last, t0 + 150_000_000_000L);
            }
            if (++inScript == 25 || entry.getKey().equals(COUNTS.lastKey()))
            {
                final Path file = dir.resolve("rates-" + CAPTURES.size() + ".pcap");
                script.writePcap(file);
                CAPTURES.add(file.toString());
                script = new TrafficScript();
                inScript = 0;
            }
        }
        // the newest bucket (10 s) ends the stored data
        dataEnd = Instant.ofEpochSecond(last / 1_000_000_000L / 10 * 10 + 10);

        db = dir.resolve("t.db").toString();
        // raw buckets kept long enough for all of it
        replay("sqlite:" + db + "?raw=P60D");

        dashboard = TrafficDashboard.builder().store(Path.of(db)).listen(new InetSocketAddress("127.0.0.1", 0))
            .build().start();
        base = "http://127.0.0.1:" + dashboard.address().getPort() + "/";
    }

    private static void replay(final String store)
    {
        for (final String capture : CAPTURES)
        {
            final Cli.Result replay = Cli.run("replay", "--db", store, capture);
            assertEquals(0, replay.exitCode(), replay::toString);
        }
    }

    @AfterAll
    static void stop()
    {
        dashboard.close();
    }

    @Test
    void shouldGiveTheNearestRankOfTheOctoberIntervalsWhenPeriodIsThatMonth()
    {
        final Cli.Result result = Cli.run(
            "report", "--db", db, "--percentile", "95", "--period", "2026-10", "--format", "csv");

        assertEquals(0, result.exitCode(), result::toString);
        // 20 samples: the 95th is the ceil(19.0) = 19th smallest, the second largest
        assertEquals(CSV_HEADER + expectedCsv(Instant.parse("2026-10-01T00:00:00Z"),
            Instant.parse("2026-11-01T00:00:00Z"), null, 95), result.out());
        assertEquals(20, samples(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z")).size());
    }

    @Test
    void shouldTakeTheCalendarMonthOfTheNewestBucketWhenNoPeriodIsGiven()
    {
        final Cli.Result result = Cli.run("report", "--db", db, "--percentile", "95", "--format", "csv");
        final Cli.Result json = Cli.run("report", "--db", db, "--percentile", "95", "--format", "json");

        assertEquals(0, result.exitCode(), result::toString);
        final Instant november = Instant.parse("2026-11-01T00:00:00Z");
        assertEquals(CSV_HEADER + expectedCsv(november, Instant.parse("2026-12-01T00:00:00Z"), null, 95),
            result.out());
        final int samples = samples(november, Instant.parse("2026-12-01T00:00:00Z")).size();
        assertEquals((dataEnd.getEpochSecond() + 299) / 300 * 300 - november.getEpochSecond(), samples * 300L);
        assertTrue(json.out().contains("\n  \"period\": \"month\",\n  \"billing_day\": 1,\n" +
            "  \"from\": \"2026-11-01T00:00:00Z\",\n  \"to\": \"2026-12-01T00:00:00Z\",\n" +
            "  \"covered_from\": \"2026-11-01T00:00:00Z\",\n  \"covered_to\": \"" +
            Instant.ofEpochSecond((dataEnd.getEpochSecond() + 299) / 300 * 300) + "\",\n" +
            "  \"samples\": " + samples + ",\n  \"rank\": " + (95L * samples + 99) / 100 + ",\n"), json::toString);
        // the November intervals between the two clusters, and 35-39 of the first, had no bucket at all
        final long withoutBucket = samples(november, Instant.parse("2026-12-01T00:00:00Z")).stream()
            .filter(t -> !COUNTS.containsKey(t) || Arrays.stream(COUNTS.get(t)).sum() == 0).count();
        assertTrue(json.out().contains("\"samples_without_bucket\": " + withoutBucket + ",\n" +
            "  \"samples_spread\": 0,\n  \"samples_raw\": " +
            samples + ",\n  \"samples_minute\": 0,\n  \"samples_hour\": 0,\n  \"samples_day\": 0,\n" +
            "  \"based_on\": \"raw buckets (" + samples + " samples)\",\n  \"note\": null,\n"), json::toString);
    }

    @Test
    void shouldRunFromTheBillingDayToTheSameDayOfTheNextMonthWhenBillingDay()
    {
        final Instant from = Instant.parse("2026-10-15T00:00:00Z");
        final Instant to = Instant.parse("2026-11-15T00:00:00Z");
        final Cli.Result result = Cli.run("report", "--db", db, "--percentile", "99.9", "--period", "2026-10",
            "--billing-day", "15", "--format", "csv");
        final Cli.Result current = Cli.run("report", "--db", db, "--percentile", "99.9", "--period", "month",
            "--billing-day", "15", "--format", "csv");

        assertEquals(0, result.exitCode(), result::toString);
        // 14 days and 100 minutes of samples, mostly 0: the 99.9th is the ceil(0.999 * 4052) = 4048th smallest
        assertEquals(4052, samples(from, to).size());
        assertEquals(CSV_HEADER + expectedCsv(from, to, null, 99.9), result.out());
        // the store's newest bucket is on the 15th: its billing month starts that day
        assertEquals(CSV_HEADER + expectedCsv(to, Instant.parse("2026-12-15T00:00:00Z"), null, 99.9),
            current.out());
    }

    @Test
    void shouldCountOneHostsInAndOutWhenHost()
    {
        final Instant from = Instant.parse("2026-10-31T22:00:00Z");
        final Instant to = Instant.parse("2026-11-01T04:00:00Z");
        final Cli.Result a = Cli.run("report", "--db", db, "--percentile", "95", "--host", A,
            "--from", from.toString(), "--to", to.toString(), "--format", "csv");
        final Cli.Result b = Cli.run("report", "--db", db, "--percentile", "95", "--host", B,
            "--from", from.toString(), "--to", to.toString(), "--format", "csv");

        assertEquals(0, a.exitCode(), a::toString);
        assertEquals(CSV_HEADER + expectedCsv(from, to, A, 95), a.out());
        assertEquals(CSV_HEADER + expectedCsv(from, to, B, 95), b.out());
    }

    @Test
    void shouldPrintTheFiguresInHumanUnitsWithTheSamplesAndMethodWhenTable()
    {
        final Cli.Result result = Cli.run("report", "--db", db, "--percentile", "95", "--period", "2026-10");

        assertEquals(0, result.exitCode(), result::toString);
        final List<long[]> rates = rates(samples(
            Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z")), null);
        final long[] in = rates.get(0).clone();
        Arrays.sort(in);
        final String out = result.out();
        assertTrue(out.startsWith("95th percentile of the 5-minute rates of the link in " + db +
            ", 2026-10-01T00:00:00Z .. 2026-11-01T00:00:00Z (31d)\n"), out);
        assertTrue(Pattern.compile("(?m)^in +" + Pattern.quote(HumanUnitsText.rate(in[18])) + " ").matcher(out).find(),
            out);
        assertTrue(out.contains("samples: 20 intervals of 5 minutes, 2026-10-31T22:20:00Z .. 2026-11-01T00:00:00Z " +
            "(the part of the period the store holds); intervals without traffic count as 0\n"), out);
        assertTrue(out.contains("method: nearest rank, the 19th smallest of the 20 rates; max is the greater of in " +
            "and out in each interval\nbased on: raw buckets (20 samples)\n"), out);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--percentile 95|p=95",
        "--percentile 95 --period 2026-10|p=95&period=2026-10",
        "--percentile 99.9 --period 2026-10 --billing-day 15|p=99.9&period=2026-10&billing_day=15",
        "--percentile 95 --period P2D --host " + A + "|period=P2D&host=" + A,
        "--percentile 50 --last 3h|p=50&last=3h",
        "--percentile 95 --from 2026-10-31T23:01:00Z --to 2026-11-01T01:00:00Z|" +
            "from=2026-10-31T23:01:00Z&to=2026-11-01T01:00:00Z",
    })
    void shouldServeTheDocumentTheCommandPrintsWhenApiPercentile(final String options, final String query)
        throws Exception
    {
        final String[] words = ("report --db " + db + " " + options + " --format json").split(" ");
        final Cli.Result cli = Cli.run(words);
        final HttpResponse<String> api = get(base + "api/percentile?" + query);

        assertEquals(0, cli.exitCode(), cli::toString);
        assertEquals(200, api.statusCode(), api::body);
        assertTrue(cli.out().contains("\"rows\": [\n    {\"direction\": \"in\""), cli::out);
        assertEquals(cli.out(), api.body());
    }

    @Test
    void shouldWidenAnUnalignedRangeToWholeIntervalsAndSaySo()
    {
        final Cli.Result result = Cli.run("report", "--db", db, "--percentile", "95",
            "--from", "2026-10-31T23:01:00Z", "--to", "2026-11-01T00:59:59Z", "--format", "json");

        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().contains("\"from\": \"2026-10-31T23:00:00Z\",\n  \"to\": \"2026-11-01T01:00:00Z\""),
            result::out);
        assertTrue(result.out().contains("\"note\": \"the period is widened to whole 5-minute intervals of UTC time: " +
            "2026-10-31T23:00:00Z .. 2026-11-01T01:00:00Z\""), result::out);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--percentile 0|p=0|--percentile=0: must be a number above 0 and at most 100 (95, 99.9)|p",
        "--percentile 101|p=101|--percentile=101: must be a number above 0 and at most 100 (95, 99.9)|p",
        "--percentile x|p=x|--percentile=x: must be a number above 0 and at most 100 (95, 99.9)|p",
        "--percentile 95 --period year|period=year|--period=year: expected month, a month like 2026-11, or a " +
            "duration like P30D|period",
        "--percentile 95 --period 2026-13|period=2026-13|--period=2026-13: expected month, a month like 2026-11, " +
            "or a duration like P30D|period",
        "--percentile 95 --billing-day 29|billing_day=29|--billing-day=29: must be from 1 to 28 (a day every month " +
            "has)|billing_day",
        "--percentile 95 --period P30D --billing-day 5|period=P30D&billing_day=5|--billing-day=5: applies to a " +
            "month (--period month or 2026-11), not to a duration|billing_day",
        "--percentile 95 --period month --from 2026-11-01|period=month&from=2026-11-01|--from cannot be combined " +
            "with --period|from",
        "--percentile 95 --period P1D --last 1d|period=P1D&last=1d|--last cannot be combined with --period; " +
            "--period P30D counts back the same way|last",
    })
    void shouldNameTheOptionOrParameterWhenAValueIsBad(
        final String options, final String query, final String message, final String parameter) throws Exception
    {
        final Cli.Result cli = Cli.run(("report --db " + db + " " + options).split(" "));
        final HttpResponse<String> api = get(base + "api/percentile?" + query);

        assertEquals(1, cli.exitCode(), cli::toString);
        assertEquals("error: " + message + "\n", cli.err());
        assertEquals(400, api.statusCode(), api::body);
        assertTrue(api.body().endsWith("\"parameter\": \"" + parameter + "\"}\n"), api::body);
    }

    @Test
    void shouldRefuseThePercentileOptionsWithoutPercentileOrWithAStep()
    {
        final Cli.Result period = Cli.run("report", "--db", db, "--period", "month");
        final Cli.Result step = Cli.run("report", "--db", db, "--percentile", "95", "--step", "1m");

        assertEquals(1, period.exitCode(), period::toString);
        assertEquals("error: --period=month: applies to --percentile only\n", period.err());
        assertEquals(1, step.exitCode(), step::toString);
        assertEquals("error: --step cannot be combined with --percentile: its samples are 5-minute intervals\n",
            step.err());
    }

    @Test
    void shouldGiveTheSame5MinuteSamplesFromMinuteRollupsAndSaySo()
    {
        final String store = "sqlite:" + dir.resolve("minutes.db") + "?raw=P1D&minute=P60D";
        replay(store);
        final Cli.Result raw = Cli.run(
            "report", "--db", db, "--percentile", "95", "--period", "2026-10", "--format", "csv");
        final Cli.Result minutes = Cli.run(
            "report", "--db", store, "--percentile", "95", "--period", "2026-10", "--format", "csv");
        final Cli.Result json = Cli.run(
            "report", "--db", store, "--percentile", "95", "--period", "2026-10", "--format", "json");

        assertEquals(0, minutes.exitCode(), minutes::toString);
        assertEquals(raw.out(), minutes.out());
        assertTrue(json.out().contains("\"samples_raw\": 0,\n  \"samples_minute\": 20,\n  \"samples_hour\": 0,\n" +
            "  \"samples_day\": 0,\n  \"based_on\": \"minute rollups (20 samples)\",\n" +
            "  \"note\": \"the period starts before the raw buckets the store keeps (from "), json::out);
        assertTrue(json.out().contains("): 20 samples come from minute rollups (the same 5-minute sums)\",\n"),
            json::out);
    }

    @Test
    void shouldSpreadEachHourRollupOverItsIntervalsAndSaySoWhenOlderThanTheMinutesKept()
    {
        final String store = "sqlite:" + dir.resolve("hours.db") + "?raw=P1D&minute=P1D";
        replay(store);
        final Cli.Result hours = Cli.run(
            "report", "--db", store, "--percentile", "95", "--period", "2026-10", "--format", "csv");
        final Cli.Result table = Cli.run("report", "--db", store, "--percentile", "95", "--period", "2026-10");

        assertEquals(0, hours.exitCode(), hours::toString);
        // October's data is two hour rollups, 22:00 and 23:00: the store covers 24 intervals from 22:00, each at
        // its hour's average rate
        final long[] in = new long[2];
        final long[] out = new long[2];
        for (final var entry : COUNTS.headMap(Instant.parse("2026-11-01T00:00:00Z")).entrySet())
        {
            final int hour = entry.getKey().isBefore(Instant.parse("2026-10-31T23:00:00Z")) ? 0 : 1;
            in[hour] += (entry.getValue()[0] + entry.getValue()[2]) * (long)PACKET;
            out[hour] += entry.getValue()[1] * (long)PACKET;
        }
        final double[] inRate = { in[0] * 8.0 / 3600, in[1] * 8.0 / 3600 };
        final double[] outRate = { out[0] * 8.0 / 3600, out[1] * 8.0 / 3600 };
        // 12 intervals at each hour's rate: the ceil(22.8) = 23rd smallest is the larger
        final String peakIn = inRate[0] >= inRate[1] ? "2026-10-31T22:00:00Z" : "2026-10-31T23:00:00Z";
        final String peakOut = outRate[0] >= outRate[1] ? "2026-10-31T22:00:00Z" : "2026-10-31T23:00:00Z";
        final double maxIn = Math.max(inRate[0], inRate[1]);
        final double maxOut = Math.max(outRate[0], outRate[1]);
        final double greater0 = Math.max(inRate[0], outRate[0]);
        final double greater1 = Math.max(inRate[1], outRate[1]);
        assertEquals(CSV_HEADER +
            "in," + Math.round(maxIn) + "," + Math.round(maxIn) + "," + peakIn + "," + (in[0] + in[1]) + "\r\n" +
            "out," + Math.round(maxOut) + "," + Math.round(maxOut) + "," + peakOut + "," + (out[0] + out[1]) +
            "\r\n" +
            "max," + Math.round(Math.max(greater0, greater1)) + "," + Math.round(Math.max(greater0, greater1)) + "," +
            (greater0 >= greater1 ? "2026-10-31T22:00:00Z" : "2026-10-31T23:00:00Z") + ",\r\n", hours.out());
        assertTrue(table.out().contains("based on: hour rollups (24 samples)\nnote: the period starts before the " +
            "raw buckets the store keeps (from "), table::out);
        assertTrue(table.out().contains("): 24 samples come from hour rollups; 24 samples come from stored buckets " +
            "wider than 5 minutes (hour or day rollups, or buckets merged while the store fell behind the capture), " +
            "each interval at the average rate of its bucket, which flattens shorter peaks: the percentile is then " +
            "usually lower than 5-minute data would give\n"), table::out);
    }

    /*
     * The samples of a period: every 5-minute interval from the first stored bucket's to the one holding the end
     * of the newest bucket, within the period.
     */
    private static List<Instant> samples(final Instant from, final Instant to)
    {
        final long first = Math.max(from.getEpochSecond(), COUNTS.firstKey().getEpochSecond());
        final long end = Math.min(to.getEpochSecond(), (dataEnd.getEpochSecond() + 299) / 300 * 300);
        final List<Instant> samples = new ArrayList<>();
        for (long t = first; t < end; t += 300)
        {
            samples.add(Instant.ofEpochSecond(t));
        }
        return samples;
    }

    /*
     * {in, out} bits per second per sample, of the link (host null) or of one host.
     */
    private static List<long[]> rates(final List<Instant> samples, final String host)
    {
        final long[] in = new long[samples.size()];
        final long[] out = new long[samples.size()];
        for (int i = 0; i < in.length; i++)
        {
            final int[] counts = COUNTS.getOrDefault(samples.get(i), new int[3]);
            final int inPackets = null == host ? counts[0] + counts[2] : A.equals(host) ? counts[0] : counts[2];
            in[i] = RATE_PER_PACKET * inPackets;
            out[i] = RATE_PER_PACKET * (null == host || A.equals(host) ? counts[1] : 0);
        }
        return List.of(in, out);
    }

    private static String expectedCsv(final Instant from, final Instant to, final String host, final double p)
    {
        final List<Instant> samples = samples(from, to);
        final List<long[]> rates = rates(samples, host);
        final long[] greater = new long[samples.size()];
        for (int i = 0; i < greater.length; i++)
        {
            greater[i] = Math.max(rates.get(0)[i], rates.get(1)[i]);
        }
        // nearest rank with integer arithmetic: ceil(p * n / 100), p in tenths
        final long tenths = Math.round(p * 10);
        final int rank = (int)((tenths * samples.size() + 999) / 1000);
        return row("in", rates.get(0), rank, samples) + row("out", rates.get(1), rank, samples) +
            row("max", greater, rank, samples);
    }

    private static String row(final String direction, final long[] rates, final int rank, final List<Instant> samples)
    {
        final long[] sorted = rates.clone();
        Arrays.sort(sorted);
        int peak = 0;
        long bytes = 0;
        for (int i = 0; i < rates.length; i++)
        {
            peak = rates[i] > rates[peak] ? i : peak;
            bytes += rates[i] * 300 / 8;
        }
        return direction + "," + sorted[rank - 1] + "," + rates[peak] + "," + samples.get(peak) + "," +
            ("max".equals(direction) ? "" : Long.toString(bytes)) + "\r\n";
    }

    private static HttpResponse<String> get(final String url) throws IOException, InterruptedException
    {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /*
     * The table's rate text, as the command line's units show it (decimal bit rates).
     */
    private static final class HumanUnitsText
    {
        static String rate(final long bitsPerSecond)
        {
            double value = bitsPerSecond;
            final String[] units = { "bit/s", "kbit/s", "Mbit/s" };
            int unit = 0;
            while (value >= 1000 && unit < units.length - 1)
            {
                value /= 1000;
                unit++;
            }
            return unit == 0 ? String.format(Locale.ROOT, "%d %s", bitsPerSecond, units[0]) :
                String.format(Locale.ROOT, "%.2f %s", value, units[unit]);
        }
    }
}
