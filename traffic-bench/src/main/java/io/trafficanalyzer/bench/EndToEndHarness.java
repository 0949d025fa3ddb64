package io.trafficanalyzer.bench;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end comparison, in one run on one machine: for each profile of synthetic capture (64-byte frames and
 * IMIX), read from the page cache by the library into SQLite and into a counting sink (each in a fresh JVM),
 * by libpcap's bare {@code pcap_next_ex} loop, by {@code tcpdump -r FILE -w /dev/null} and by {@code pmacctd} into
 * its sqlite3 plugin; every run measured as a whole process (wall time, CPU seconds, peak RSS from
 * {@code /usr/bin/time -v}); one table with the ratios to tcpdump and libpcap. It checks that the library's
 * totals, read back from the store's contract views and from the counting sink, equal what the generator wrote,
 * and exits with status 1 when they do not.
 * <p>
 * Run through {@code traffic-bench/scripts/end-to-end.sh}, which builds and installs what it needs; settings are
 * {@code name=value} arguments, see {@link Settings}.
 * <p>
 * Long because it is one script of measurements: each profile's runs, the floors measured beside them, the totals
 * checked, and the table and targets printed from the same figures, read top to bottom in the order they run.
 */
public final class EndToEndHarness
{
    private static final String SQLITE_RUN = "library -> SQLite";
    private static final String COUNTING_RUN = "library -> counting sink";
    private static final String LIBPCAP_RUN = "libpcap pcap_next_ex loop";
    private static final String TCPDUMP_RUN = "tcpdump -r FILE -w /dev/null";
    private static final String PMACCT_RUN = "pmacctd -> sqlite3 plugin";
    private static final String STARTUP_RUN = "library -> SQLite, start and stop";
    private static final String STORE_FLOOR_RUN = "sqlite3 storing the library's rows";
    private static final String CLI_REPLAY_RUN = "README replay -> SQLite";
    private static final String LONG_PROFILE = "long64";
    private static final double STORE_TARGET = 1.5;
    private static final double PMACCT_TARGET = 20;
    private static final int PMACCT_WRITERS_TIMEOUT_MS = 300_000;
    private static final List<String> STORED_TABLES = List.of("address", "host_stats", "port_stats", "peer_stats");
    private static final long RSS_TARGET_KB = 256 * 1024;

    private final Settings settings;
    private final Path logs;
    private final List<String> failures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Map<String, ProcessMeasurement>> results = new LinkedHashMap<>();
    private final Map<String, Map<String, ProcessMeasurement>> floors = new LinkedHashMap<>();
    private final Map<String, LiveLine> live = new LinkedHashMap<>();
    private String liveNote;

    EndToEndHarness(final Settings settings)
    {
        this.settings = settings;
        this.logs = settings.work.resolve("logs");
    }

    /**
     * Run the comparison and print the table; exits with status 1 when a check failed.
     *
     * @param args settings as {@code name=value}, see {@link Settings}.
     * @throws Exception when a run cannot be started or measured.
     */
    public static void main(final String[] args) throws Exception
    {
        final EndToEndHarness harness = new EndToEndHarness(Settings.parse(args));
        final boolean passed = harness.run();
        System.exit(passed ? 0 : 1);
    }

    /*
     * Every profile, then the table and the checks; true when every check passed.
     */
    boolean run() throws IOException, InterruptedException, SQLException
    {
        Files.createDirectories(logs);
        final String loadBefore = firstLine(List.of("uptime"));
        for (final String profile : settings.profiles)
        {
            runProfile(profile);
        }
        if (settings.longPackets > 0)
        {
            runLongProfile();
        }
        if (null != settings.live)
        {
            runLive();
        }
        final String loadAfter = firstLine(List.of("uptime"));

        printTable(loadBefore, loadAfter);
        if (!failures.isEmpty())
        {
            System.out.println();
            System.out.println("CHECK FAILED: the library's totals differ from what the generator wrote:");
            failures.forEach((failure) -> System.out.println("  " + failure));
        }

        return failures.isEmpty();
    }

    private void runProfile(final String profile) throws IOException, InterruptedException, SQLException
    {
        final Path capture = settings.work.resolve("synthetic-" + profile + ".pcap");
        System.out.printf("%s: writing %,d packets over %d s ...%n", profile, settings.packets, settings.seconds);
        final CaptureTotals expected = CaptureFileGenerator.write(capture, profile, settings.packets, settings.seconds);
        System.out.printf("%s: %,d bytes, %,d local hosts, %,d peers, %,d IPv6, %,d VLAN-tagged, %,d snapped%n",
            profile, expected.get("info.file_bytes"), expected.get("hosts"), expected.get("peers"),
            expected.get("info.ipv6_packets"), expected.get("info.vlan_frames"),
            expected.get("info.snapped_frames"));

        final Path startupCapture = settings.work.resolve("startup-" + profile + ".pcap");
        final CaptureTotals startupExpected =
            CaptureFileGenerator.write(startupCapture, profile, settings.startupPackets, 1);

        final Map<String, List<ProcessMeasurement>> runs = new LinkedHashMap<>();
        final Map<String, List<ProcessMeasurement>> floorRuns = new LinkedHashMap<>();
        for (int repeat = 0; repeat < settings.repeat; repeat++)
        {
            warmPageCache(capture);
            final String tag = profile + "-" + repeat;
            final Path database = settings.work.resolve("library-" + tag + ".db");
            add(floorRuns, librarySqlite(STARTUP_RUN, startupCapture, startupExpected, database, tag));
            add(runs, librarySqlite(SQLITE_RUN, capture, expected, database, tag));
            if (null != settings.sqlite3)
            {
                add(floorRuns, storeFloor(database, tag));
            }
            if (!settings.keep)
            {
                deleteDatabase(database);
            }
            add(runs, libraryCounting(capture, expected, tag));
            if (null != settings.pcapLoop)
            {
                add(runs, measure(LIBPCAP_RUN, expected.get("frames"), tag,
                    List.of(settings.pcapLoop.toString(), capture.toString(), "1")));
            }
            if (null != settings.tcpdump)
            {
                add(runs, measure(TCPDUMP_RUN, expected.get("frames"), tag,
                    List.of(settings.tcpdump, "-r", capture.toString(), "-w", "/dev/null")));
            }
            System.out.printf("%s: repeat %d of %d done%n", profile, repeat + 1, settings.repeat);
        }
        if (null != settings.pmacctd)
        {
            warmPageCache(capture);
            add(runs, pmacctd(capture, expected, profile));
        }

        results.put(profile, medians(runs));
        floors.put(profile, medians(floorRuns));
        Files.deleteIfExists(startupCapture);
        Files.deleteIfExists(CaptureTotals.besideCapture(startupCapture));
        if (!settings.keep)
        {
            Files.deleteIfExists(capture);
        }
    }

    /*
     * The long file: 64-byte frames over a longer span of packet time, read into the counting sink against tcpdump
     * and the libpcap loop (target 2), then once by the README's replay command into SQLite (target 4: its RSS).
     */
    private void runLongProfile() throws IOException, InterruptedException, SQLException
    {
        final Path capture = settings.work.resolve("synthetic-" + LONG_PROFILE + ".pcap");
        final CaptureTotals expected;
        if (settings.keep && Files.exists(capture) && Files.exists(CaptureTotals.besideCapture(capture)) &&
            CaptureTotals.load(CaptureTotals.besideCapture(capture)).get("frames") == settings.longPackets)
        {
            expected = CaptureTotals.load(CaptureTotals.besideCapture(capture));
            System.out.printf("%s: reusing %s (keep=true)%n", LONG_PROFILE, capture);
        }
        else
        {
            System.out.printf("%s: writing %,d packets of 64 bytes over %d s ...%n", LONG_PROFILE,
                settings.longPackets, settings.longSeconds);
            expected = CaptureFileGenerator.write(capture, "64", settings.longPackets, settings.longSeconds);
        }

        final Map<String, List<ProcessMeasurement>> runs = new LinkedHashMap<>();
        for (int repeat = 0; repeat < settings.repeat; repeat++)
        {
            warmPageCache(capture);
            final String tag = LONG_PROFILE + "-" + repeat;
            add(runs, libraryCounting(capture, expected, tag));
            if (null != settings.pcapLoop)
            {
                add(runs, measure(LIBPCAP_RUN, expected.get("frames"), tag,
                    List.of(settings.pcapLoop.toString(), capture.toString(), "1")));
            }
            if (null != settings.tcpdump)
            {
                add(runs, measure(TCPDUMP_RUN, expected.get("frames"), tag,
                    List.of(settings.tcpdump, "-r", capture.toString(), "-w", "/dev/null")));
            }
            System.out.printf("%s: repeat %d of %d done%n", LONG_PROFILE, repeat + 1, settings.repeat);
        }
        if (null != settings.cli)
        {
            warmPageCache(capture);
            add(runs, cliReplay(capture, expected));
        }

        results.put(LONG_PROFILE, medians(runs));
        if (!settings.keep)
        {
            Files.deleteIfExists(capture);
            Files.deleteIfExists(CaptureTotals.besideCapture(capture));
        }
    }

    /*
     * The README's replay command, as a user types it, into a new store; its totals read back through the views.
     */
    private ProcessMeasurement cliReplay(final Path capture, final CaptureTotals expected)
        throws IOException, InterruptedException, SQLException
    {
        final Path database = settings.work.resolve("cli-" + LONG_PROFILE + ".db");
        deleteDatabase(database);
        final List<String> command = new ArrayList<>(settings.cli);
        command.addAll(List.of("replay", "--db", database.toString()));
        for (final String network : SyntheticTraffic.LOCAL_NETWORKS)
        {
            command.addAll(List.of("--local-net", network));
        }
        command.add(capture.toString());
        final ProcessMeasurement measurement = measure(CLI_REPLAY_RUN, expected.get("frames"), LONG_PROFILE, command);
        check(CLI_REPLAY_RUN + " (" + String.join(" ", settings.cli) + ")", expected, SqliteTotals.read(database));
        if (!settings.keep)
        {
            deleteDatabase(database);
        }

        return measurement;
    }

    /*
     * The README's capture command against tcpdump on the same veth, both cold, whole processes (targets 3 and 4):
     * the script prints one "live NAME key=value..." line per capturer.
     */
    private void runLive() throws IOException, InterruptedException
    {
        if (null == settings.cli)
        {
            liveNote = "skipped: no cli command given";
            return;
        }
        final List<String> command = new ArrayList<>(List.of(settings.live.toString(),
            Integer.toString(settings.liveSeconds), Integer.toString(settings.liveRate)));
        command.addAll(settings.cli);
        System.out.printf("live: %d s at %,d frames/s, %s capture against tcpdump ...%n", settings.liveSeconds,
            settings.liveRate, String.join(" ", settings.cli));
        final Path log = logs.resolve("live.out");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
            .start();
        if (!process.waitFor(settings.liveSeconds * 4L + 120, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            liveNote = "did not finish in time: see " + log;
            return;
        }
        final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (final String line : lines)
        {
            if (line.startsWith("live "))
            {
                final LiveLine parsed = LiveLine.parse(line);
                live.put(parsed.name, parsed);
            }
        }
        if (0 != process.exitValue() || !live.containsKey("tcpdump") || !live.containsKey("library"))
        {
            live.clear();
            liveNote = "failed (exit " + process.exitValue() + "): see " + log;
        }
    }

    private static Map<String, ProcessMeasurement> medians(final Map<String, List<ProcessMeasurement>> runs)
    {
        final Map<String, ProcessMeasurement> medians = new LinkedHashMap<>();
        runs.forEach((run, measurements) -> medians.put(run, ProcessMeasurement.median(measurements)));
        return medians;
    }

    private ProcessMeasurement librarySqlite(
        final String run, final Path capture, final CaptureTotals expected, final Path database, final String tag)
        throws IOException, InterruptedException, SQLException
    {
        deleteDatabase(database);
        final Path result = logs.resolve(logName(run, tag) + ".result");
        final ProcessMeasurement measurement = measure(run, expected.get("frames"), tag,
            libraryCommand(capture, "sqlite:" + database, result));
        final CaptureTotals replay = CaptureTotals.load(result);
        measurement.inProcessNs = replay.get("info.closed_ns");
        check(run + " (" + tag + ", read back from " + database.getFileName() + ")", expected,
            SqliteTotals.read(database));

        return measurement;
    }

    /*
     * The least SQLite itself takes to store what the library stored: the sqlite3 shell copies the library's
     * address, host, port and peer rows (every level) into an empty database of the same schema and settings, in
     * one transaction, each table read in its primary-key order. Checks that every row was copied.
     */
    private ProcessMeasurement storeFloor(final Path library, final String tag)
        throws IOException, InterruptedException, SQLException
    {
        final Path floor = settings.work.resolve("floor-" + tag + ".db");
        deleteDatabase(floor);
        final List<String> script = new ArrayList<>(List.of(
            "PRAGMA auto_vacuum = INCREMENTAL;", "PRAGMA journal_mode = WAL;", "PRAGMA synchronous = FULL;",
            "PRAGMA cache_size = -32768;"));
        final Map<String, Long> libraryRows = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + library);
            Statement statement = connection.createStatement())
        {
            for (final String table : STORED_TABLES)
            {
                try (ResultSet ddl = statement.executeQuery(
                    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'"))
                {
                    ddl.next();
                    script.add(ddl.getString(1) + ";");
                }
                libraryRows.put(table, rowCount(statement, table));
            }
        }
        script.add("ATTACH '" + library + "' AS library;");
        script.add("BEGIN;");
        STORED_TABLES.forEach((table) -> script.add("INSERT INTO main." + table + " SELECT * FROM library." +
            table + ";"));
        script.add("COMMIT;");
        final Path sql = logs.resolve("floor-" + tag + ".sql");
        Files.write(sql, script, StandardCharsets.UTF_8);

        final long rows = libraryRows.values().stream().mapToLong(Long::longValue).sum();
        // the items this run processes are rows, not packets: the floor table prints them as such
        final ProcessMeasurement measurement = measure(STORE_FLOOR_RUN, rows, tag,
            List.of(settings.sqlite3, "-bail", floor.toString(), ".read " + sql));
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + floor);
            Statement statement = connection.createStatement())
        {
            for (final Map.Entry<String, Long> table : libraryRows.entrySet())
            {
                final long copied = rowCount(statement, table.getKey());
                if (copied != table.getValue())
                {
                    throw new IllegalStateException(STORE_FLOOR_RUN + ": " + table.getKey() + " has " + copied +
                        " rows, the library's " + table.getValue());
                }
            }
        }
        deleteDatabase(floor);

        return measurement;
    }

    private static long rowCount(final Statement statement, final String table) throws SQLException
    {
        try (ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM " + table))
        {
            count.next();
            return count.getLong(1);
        }
    }

    private ProcessMeasurement libraryCounting(final Path capture, final CaptureTotals expected, final String tag)
        throws IOException, InterruptedException
    {
        final Path result = logs.resolve("library-counting-" + tag + ".result");
        final ProcessMeasurement measurement = measure(COUNTING_RUN, expected.get("frames"), tag,
            libraryCommand(capture, "counting", result));
        final CaptureTotals counted = CaptureTotals.load(result);
        measurement.inProcessNs = counted.get("info.closed_ns");
        check(COUNTING_RUN + " (" + tag + ")", expected, counted);

        return measurement;
    }

    private List<String> libraryCommand(final Path capture, final String sink, final Path result)
    {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(settings.javaOptions);
        command.addAll(List.of("-cp", settings.jar.toString(), LibraryReplay.class.getName(),
            capture.toString(), sink, result.toString()));
        return command;
    }

    private ProcessMeasurement pmacctd(final Path capture, final CaptureTotals expected, final String profile)
        throws IOException, InterruptedException, SQLException
    {
        final Path database = settings.work.resolve("pmacct-" + profile + ".db");
        deleteDatabase(database);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
            Statement statement = connection.createStatement())
        {
            // pmacct's own table of sql_table_version 1 (sql/pmacct-create-table_v1.sqlite3)
            statement.execute("CREATE TABLE acct (mac_src CHAR(17) NOT NULL DEFAULT '0:0:0:0:0:0', " +
                "mac_dst CHAR(17) NOT NULL DEFAULT '0:0:0:0:0:0', ip_src CHAR(45) NOT NULL DEFAULT '0.0.0.0', " +
                "ip_dst CHAR(45) NOT NULL DEFAULT '0.0.0.0', src_port INT(4) NOT NULL DEFAULT 0, " +
                "dst_port INT(4) NOT NULL DEFAULT 0, ip_proto CHAR(6) NOT NULL DEFAULT 0, packets INT NOT NULL, " +
                "bytes BIGINT NOT NULL, stamp_inserted DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00', " +
                "stamp_updated DATETIME, PRIMARY KEY (mac_src, mac_dst, ip_src, ip_dst, src_port, dst_port, " +
                "ip_proto, stamp_inserted))");
        }

        final Path config = settings.work.resolve("pmacctd-" + profile + ".conf");
        Files.writeString(config, String.join("\n",
            "daemonize: false",
            "pcap_savefile: " + capture,
            "plugins: sqlite3[e2e]",
            "aggregate[e2e]: src_host, dst_host, proto, src_port, dst_port",
            "sql_db[e2e]: " + database,
            "sql_table_version[e2e]: 1",
            "sql_history[e2e]: 1m",
            "sql_history_roundoff[e2e]: m",
            "sql_refresh_time[e2e]: 60",
            // with the defaults (4 MB pipe, 32771 cache entries) pmacctd stored only half the packets of a file:
            // the core outruns the plugin, and purging writers collide on the database ("database is locked")
            "plugin_pipe_size[e2e]: 1073741824",
            "plugin_buffer_size[e2e]: 1048576",
            "sql_cache_entries[e2e]: 1000003",
            ""), StandardCharsets.UTF_8);

        final ProcessMeasurement measurement = measure(PMACCT_RUN, expected.get("frames"), profile,
            List.of(settings.pmacctd, "-f", config.toString()));
        // pmacctd exits before the writers it forked have purged their caches: wait for their locks
        final SQLiteConfig waiting = new SQLiteConfig();
        waiting.setBusyTimeout(PMACCT_WRITERS_TIMEOUT_MS);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database, waiting.toProperties());
            Statement statement = connection.createStatement();
            ResultSet result = statement.executeQuery("SELECT COUNT(*), SUM(packets), SUM(bytes) FROM acct"))
        {
            result.next();
            final boolean equal = result.getLong(2) == expected.get("packets") &&
                result.getLong(3) == expected.get("bytes");
            notes.add(String.format(Locale.ROOT, "%s: pmacctd stored %,d rows holding %,d packets and %,d bytes: %s",
                profile, result.getLong(1), result.getLong(2), result.getLong(3),
                equal ? "the generator's totals" : "NOT the generator's " + expected.get("packets") + " packets and " +
                expected.get("bytes") + " bytes"));
        }
        if (!settings.keep)
        {
            deleteDatabase(database);
        }

        return measurement;
    }

    private ProcessMeasurement measure(
        final String run, final long packets, final String tag, final List<String> command)
        throws IOException, InterruptedException
    {
        final String name = logName(run, tag);
        final Path report = logs.resolve(name + ".time");
        final List<String> timed = new ArrayList<>(List.of(settings.time, "-v", "-o", report.toString()));
        timed.addAll(command);

        final ProcessBuilder builder = new ProcessBuilder(timed)
            .redirectOutput(logs.resolve(name + ".out").toFile())
            .redirectError(logs.resolve(name + ".err").toFile());
        final long startNs = System.nanoTime();
        final Process process = builder.start();
        if (!process.waitFor(settings.timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IllegalStateException(run + " did not finish within " + settings.timeoutSeconds + " s");
        }
        final long wallNs = System.nanoTime() - startNs;

        final ProcessMeasurement measurement =
            ProcessMeasurement.parse(run, packets, wallNs, Files.readString(report, StandardCharsets.UTF_8));
        if (0 != measurement.exitStatus || 0 != process.exitValue())
        {
            throw new IllegalStateException(run + " exited with status " + measurement.exitStatus + ": see " +
                logs.resolve(name + ".err"));
        }

        return measurement;
    }

    private void check(final String run, final CaptureTotals expected, final CaptureTotals actual)
    {
        final List<String> differences = expected.differences(actual);
        if (differences.isEmpty())
        {
            System.out.printf("  %s: totals equal the generator's (%d figures)%n", run, expected.figures().size());
            return;
        }

        System.out.printf("  %s: %d figures DIFFER from the generator's%n", run, differences.size());
        failures.add(run + ": " + differences.size() + " figures differ");
        differences.stream().limit(20).forEach((difference) -> failures.add("    " + difference));
    }

    private void printTable(final String loadBefore, final String loadAfter)
    {
        System.out.println();
        System.out.printf("End to end, whole process, %,d packets per profile (%d s of packet time), from page " +
            "cache; median of %d runs by wall time (pmacctd: 1 run); peak RSS: the highest of the runs%n",
            settings.packets, settings.seconds, settings.repeat);
        if (settings.longPackets > 0)
        {
            System.out.printf("%s: %,d packets of 64 bytes over %d s of packet time%n", LONG_PROFILE,
                settings.longPackets, settings.longSeconds);
        }
        System.out.println("library JVM: " + String.join(" ", settings.javaOptions));
        if (null != settings.cli)
        {
            System.out.println("README's command: " + String.join(" ", settings.cli));
        }
        System.out.println("load before: " + loadBefore);
        System.out.println("load after:  " + loadAfter);
        System.out.println();

        final String format = "%-7s %-28s %8s %8s %8s %10s %9s %10s %10s %11s%n";
        System.out.printf(format, "profile", "run", "Mpps", "wall s", "CPU s", "CPU ns/pkt", "RSS MiB",
            "x tcpdump", "x libpcap", "in-JVM Mpps");
        for (final Map.Entry<String, Map<String, ProcessMeasurement>> profile : results.entrySet())
        {
            final ProcessMeasurement tcpdump = profile.getValue().get(TCPDUMP_RUN);
            final ProcessMeasurement libpcap = profile.getValue().get(LIBPCAP_RUN);
            for (final ProcessMeasurement m : profile.getValue().values())
            {
                System.out.printf(Locale.ROOT, format, profile.getKey(), m.run,
                    String.format(Locale.ROOT, "%.3f", m.packetsPerSecond() / 1e6),
                    String.format(Locale.ROOT, "%.3f", m.wallNs / 1e9),
                    String.format(Locale.ROOT, "%.2f", m.cpuSeconds()),
                    String.format(Locale.ROOT, "%.0f", m.cpuNanosPerPacket()),
                    String.format(Locale.ROOT, "%.1f", m.maxRssMiB()),
                    ratio(m, tcpdump), ratio(m, libpcap),
                    Double.isNaN(m.inProcessPacketsPerSecond()) ? "" :
                    String.format(Locale.ROOT, "%.3f", m.inProcessPacketsPerSecond() / 1e6));
            }
        }

        printFloors();
        printLive();
        System.out.println();
        System.out.println("Targets:");
        printStoreTarget();
        printLongTarget();
        printLiveTarget();
        printMemoryTarget();
        System.out.println();
        System.out.println("Notes:");
        for (final Map.Entry<String, Map<String, ProcessMeasurement>> profile : results.entrySet())
        {
            for (final ProcessMeasurement m : profile.getValue().values())
            {
                if (m.run.startsWith("library") && m.maxRssKb >= RSS_TARGET_KB)
                {
                    System.out.printf(Locale.ROOT, "  %s: %s peak RSS %.1f MiB, over 256 MiB%n", profile.getKey(),
                        m.run, m.maxRssMiB());
                }
            }
        }
        notes.forEach((note) -> System.out.println("  " + note));
        if (null != settings.pmacctd)
        {
            System.out.println("  pmacctd's wall time includes the 2 s it sleeps before reading a file; " +
                "its peak RSS is that of its largest process (the plugin pipe alone is 1 GiB)");
        }
        if (null == settings.pmacctd)
        {
            System.out.println("  pmacctd: skipped (pmacctd=none)");
        }
        if (null == settings.pcapLoop)
        {
            System.out.println("  libpcap loop: skipped (pcapLoop not given)");
        }
    }

    /*
     * Target 1: file -> SQLite within 1.5x of the joint floor (start and stop + sqlite3 storing the same rows), and
     * what follows from it against pmacctd.
     */
    private void printStoreTarget()
    {
        System.out.printf(Locale.ROOT, "  1. the store: file -> SQLite within %.1fx of start and stop + sqlite3 " +
            "storing the same rows%n", STORE_TARGET);
        for (final Map.Entry<String, Map<String, ProcessMeasurement>> profile : results.entrySet())
        {
            final ProcessMeasurement sqlite = profile.getValue().get(SQLITE_RUN);
            final Map<String, ProcessMeasurement> floor = floors.get(profile.getKey());
            if (null == sqlite || null == floor || floor.size() != 2)
            {
                continue;
            }
            final long floorNs = floor.values().stream().mapToLong((m) -> m.wallNs).sum();
            final double ratio = (double)sqlite.wallNs / floorNs;
            System.out.printf(Locale.ROOT, "     %-6s %.3f s against %.3f s (%.3f + %.3f): %.2fx, %s%n",
                profile.getKey(), sqlite.wallNs / 1e9, floorNs / 1e9, floor.get(STARTUP_RUN).wallNs / 1e9,
                floor.get(STORE_FLOOR_RUN).wallNs / 1e9, ratio, ratio <= STORE_TARGET ? "met" : "MISSED");
            final ProcessMeasurement pmacct = profile.getValue().get(PMACCT_RUN);
            if (null != pmacct)
            {
                final double times = (double)pmacct.wallNs / sqlite.wallNs;
                System.out.printf(Locale.ROOT, "     %-6s against pmacctd -> sqlite3 (%.3f s): %.1fx, %s (%.0fx " +
                    "follows)%n", profile.getKey(), pmacct.wallNs / 1e9, times, times >= PMACCT_TARGET ? "met" :
                    "MISSED", PMACCT_TARGET);
            }
        }
    }

    /*
     * Target 2: the long file into the counting sink at least as fast as tcpdump's wall time; CPU per packet beside.
     */
    private void printLongTarget()
    {
        final Map<String, ProcessMeasurement> longRuns = results.get(LONG_PROFILE);
        System.out.printf(Locale.ROOT, "  2. long files: file -> counting sink on %,d x 64 B at least as fast as " +
            "tcpdump (wall)%n", settings.longPackets);
        if (null == longRuns || null == longRuns.get(TCPDUMP_RUN))
        {
            System.out.println("     not measured (longPackets=0 or tcpdump=none)");
            return;
        }
        final ProcessMeasurement library = longRuns.get(COUNTING_RUN);
        final ProcessMeasurement tcpdump = longRuns.get(TCPDUMP_RUN);
        final double ratio = (double)tcpdump.wallNs / library.wallNs;
        System.out.printf(Locale.ROOT, "     %.3f s against tcpdump's %.3f s: %.2fx, %s; CPU %.0f ns/packet " +
            "against tcpdump's %.0f (%.2fx)%n", library.wallNs / 1e9, tcpdump.wallNs / 1e9, ratio,
            ratio >= 1 ? "met" : "MISSED", library.cpuNanosPerPacket(), tcpdump.cpuNanosPerPacket(),
            library.cpuNanosPerPacket() / tcpdump.cpuNanosPerPacket());
    }

    /*
     * Target 3: the README's capture, whole process, at most tcpdump's CPU per frame, no drops where it has none.
     */
    private void printLiveTarget()
    {
        System.out.printf(Locale.ROOT, "  3. live: the README's capture, whole process started cold, CPU per frame " +
            "at most tcpdump's over %d s, no drops where tcpdump has none%n", settings.liveSeconds);
        if (live.isEmpty())
        {
            System.out.println("     not measured (" + (null == liveNote ? "live=none" : liveNote) + ")");
            return;
        }
        final LiveLine library = live.get("library");
        final LiveLine tcpdump = live.get("tcpdump");
        final double ratio = library.cpuNanosPerFrame() / tcpdump.cpuNanosPerFrame();
        final boolean drops = library.dropped > 0 && 0 == tcpdump.dropped;
        System.out.printf(Locale.ROOT, "     %.1f ns against tcpdump's %.1f: %.2fx; drops %,d against %,d: %s%n",
            library.cpuNanosPerFrame(), tcpdump.cpuNanosPerFrame(), ratio, library.dropped, tcpdump.dropped,
            ratio <= 1 && !drops ? "met" : "MISSED");
    }

    /*
     * Target 4: the README's replay of the long file and its capture under 256 MiB of peak RSS.
     */
    private void printMemoryTarget()
    {
        System.out.println("  4. memory: the README's commands under 256 MiB of peak RSS" +
            (null == settings.cli ? "" : " (" + String.join(" ", settings.cli) + ")"));
        final Map<String, ProcessMeasurement> longRuns = results.get(LONG_PROFILE);
        final ProcessMeasurement replay = null == longRuns ? null : longRuns.get(CLI_REPLAY_RUN);
        if (null == replay)
        {
            System.out.println("     replay: not measured (cli=none or longPackets=0)");
        }
        else
        {
            System.out.printf(Locale.ROOT, "     replay of the %,d-packet file: %.1f MiB, %s%n", replay.packets,
                replay.maxRssMiB(), replay.maxRssKb < RSS_TARGET_KB ? "met" : "MISSED");
        }
        final LiveLine capture = live.get("library");
        if (null == capture)
        {
            System.out.println("     capture: not measured (" + (null == liveNote ? "live=none" : liveNote) + ")");
        }
        else
        {
            System.out.printf(Locale.ROOT, "     capture, %.0f s of traffic: %.1f MiB, %s%n", capture.seconds,
                capture.rssKb / 1024.0, capture.rssKb < RSS_TARGET_KB ? "met" : "MISSED");
        }
    }

    private void printLive()
    {
        if (live.isEmpty())
        {
            return;
        }
        System.out.println();
        System.out.printf("Live, the README's capture command against tcpdump -w /dev/null, same veth, both started " +
            "cold, whole processes from start to exit (1 run):%n");
        final String liveFormat = "%-10s %12s %12s %10s %10s %14s %9s%n";
        System.out.printf(liveFormat, "capturer", "sent", "captured", "dropped", "CPU s", "CPU ns/frame", "RSS MiB");
        for (final LiveLine line : live.values())
        {
            System.out.printf(Locale.ROOT, liveFormat, line.name, String.format(Locale.ROOT, "%,d", line.sent),
                String.format(Locale.ROOT, "%,d", line.frames), String.format(Locale.ROOT, "%,d", line.dropped),
                String.format(Locale.ROOT, "%.2f", line.cpuMs / 1e3),
                String.format(Locale.ROOT, "%.1f", line.cpuNanosPerFrame()),
                String.format(Locale.ROOT, "%.1f", line.rssKb / 1024.0));
        }
        final LiveLine any = live.values().iterator().next();
        System.out.printf(Locale.ROOT, "frames sent in %.1f s (%.0f frames/s); CPU per frame sent%n", any.seconds,
            any.sent / any.seconds);
    }

    private void printFloors()
    {
        System.out.println();
        System.out.printf("What any file -> SQLite run pays whatever the file's length (median of %d runs each):%n",
            settings.repeat);
        System.out.printf("  %s: the library on a %,d-packet capture of the same profile (JVM start, store opened, " +
            "one bucket, close)%n", STARTUP_RUN, settings.startupPackets);
        System.out.printf("  %s: the rows the library stored, copied by the sqlite3 shell into an empty database " +
            "of the same schema and settings in one transaction, in key order%n", STORE_FLOOR_RUN);
        final String floorFormat = "%-7s %-36s %10s %8s %8s %9s %14s%n";
        System.out.printf(floorFormat, "profile", "run", "rows", "wall s", "CPU s", "RSS MiB", "x tcpdump wall");
        for (final Map.Entry<String, Map<String, ProcessMeasurement>> profile : floors.entrySet())
        {
            final ProcessMeasurement tcpdump = results.get(profile.getKey()).get(TCPDUMP_RUN);
            for (final ProcessMeasurement m : profile.getValue().values())
            {
                System.out.printf(Locale.ROOT, floorFormat, profile.getKey(), m.run,
                    STORE_FLOOR_RUN.equals(m.run) ? String.format(Locale.ROOT, "%,d", m.packets) : "",
                    String.format(Locale.ROOT, "%.3f", m.wallNs / 1e9),
                    String.format(Locale.ROOT, "%.2f", m.cpuSeconds()),
                    String.format(Locale.ROOT, "%.1f", m.maxRssMiB()),
                    null == tcpdump ? "" : String.format(Locale.ROOT, "%.2f", (double)m.wallNs / tcpdump.wallNs));
            }
        }
        for (final Map.Entry<String, Map<String, ProcessMeasurement>> profile : floors.entrySet())
        {
            final ProcessMeasurement tcpdump = results.get(profile.getKey()).get(TCPDUMP_RUN);
            if (null != tcpdump)
            {
                System.out.println("  " + profile.getKey() + ", against tcpdump's whole run:");
                printFloorVerdict(profile.getValue(), tcpdump);
            }
        }
    }

    /*
     * "Out of reach" for "as fast as tcpdump" when what any run pays, alone or together, takes longer than tcpdump's
     * whole run.
     */
    private static void printFloorVerdict(final Map<String, ProcessMeasurement> floor, final ProcessMeasurement tcpdump)
    {
        for (final ProcessMeasurement alone : floor.values())
        {
            if (alone.wallNs >= tcpdump.wallNs)
            {
                System.out.printf(Locale.ROOT, "    out of reach on this file: %s alone takes %.3f s, " +
                    "tcpdump's whole run %.3f s%n", alone.run, alone.wallNs / 1e9, tcpdump.wallNs / 1e9);
            }
        }
        if (floor.size() == 2)
        {
            // the store's first row waits for the JVM and the store to start; SQLite writes on one thread
            final long sumNs = floor.values().stream().mapToLong((m) -> m.wallNs).sum();
            System.out.printf(Locale.ROOT, "    start and stop + sqlite3 storing the rows: %.3f s, %.2fx " +
                "tcpdump's whole run%s%n", sumNs / 1e9, (double)sumNs / tcpdump.wallNs,
                sumNs >= tcpdump.wallNs ? ": out of reach on this file" : String.format(Locale.ROOT,
                "; the rest of the run (reading, decoding, aggregating) would have to fit in %.3f s",
                (tcpdump.wallNs - sumNs) / 1e9));
        }
    }

    // the logs' file names of a run: its name with runs of other characters as one '-', then the tag
    private static String logName(final String run, final String tag)
    {
        return run.replaceAll("[^A-Za-z0-9]+", "-") + tag;
    }

    private static String ratio(final ProcessMeasurement m, final ProcessMeasurement reference)
    {
        return null == reference ? "" :
            String.format(Locale.ROOT, "%.2f", m.packetsPerSecond() / reference.packetsPerSecond());
    }

    private static void add(final Map<String, List<ProcessMeasurement>> runs, final ProcessMeasurement m)
    {
        runs.computeIfAbsent(m.run, (k) -> new ArrayList<>()).add(m);
    }

    private static void warmPageCache(final Path capture) throws IOException, InterruptedException
    {
        final Process cat = new ProcessBuilder("cat", capture.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        if (0 != cat.waitFor())
        {
            throw new IOException("cat " + capture + " failed");
        }
    }

    private static String firstLine(final List<String> command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output.lines().findFirst().orElse("").trim();
    }

    private static void deleteDatabase(final Path database) throws IOException
    {
        for (final String suffix : new String[]{ "", "-wal", "-shm", "-journal" })
        {
            Files.deleteIfExists(Paths.get(database + suffix));
        }
    }

    /*
     * One capturer's line of live-cli-benchmark.sh: "live NAME frames=N dropped=N cpu_ms=N rss_kb=N sent=N seconds=S".
     */
    static final class LiveLine
    {
        final String name;
        long frames;
        long dropped;
        long cpuMs;
        long rssKb;
        long sent;
        double seconds;

        LiveLine(final String name)
        {
            this.name = name;
        }

        static LiveLine parse(final String line)
        {
            final String[] fields = line.trim().split("\\s+");
            final LiveLine parsed = new LiveLine(fields[1]);
            for (int i = 2; i < fields.length; i++)
            {
                final int equals = fields[i].indexOf('=');
                final String value = fields[i].substring(equals + 1);
                switch (fields[i].substring(0, equals))
                {
                    case "frames" -> parsed.frames = value.isEmpty() ? 0 : Long.parseLong(value);
                    case "dropped" -> parsed.dropped = value.isEmpty() ? 0 : Long.parseLong(value);
                    case "cpu_ms" -> parsed.cpuMs = Long.parseLong(value);
                    case "rss_kb" -> parsed.rssKb = Long.parseLong(value);
                    case "sent" -> parsed.sent = Long.parseLong(value);
                    case "seconds" -> parsed.seconds = Double.parseDouble(value);
                    default -> throw new IllegalArgumentException("unknown field in " + line);
                }
            }
            return parsed;
        }

        double cpuNanosPerFrame()
        {
            return cpuMs * 1e6 / sent;
        }
    }

    /**
     * The harness's settings, each a {@code name=value} argument: {@code packets} (default 5000000),
     * {@code seconds} of packet time (300), {@code profiles} (64,imix), {@code repeat} (3), {@code work}
     * directory, {@code jar} (the benchmarks jar holding this class), {@code pcapLoop} (the compiled
     * {@code pcap_read_loop}, or none), {@code tcpdump}, {@code pmacctd}, {@code sqlite3} and {@code time}
     * (programs, or {@code none}), {@code startupPackets} (packets of the start-and-stop run's capture, 1000),
     * {@code javaOptions} (of the library's JVM, space-separated), {@code keep} (keep the captures and databases),
     * {@code timeoutSeconds} of any one run; {@code longPackets} (30000000, 0 skips the long profile) and
     * {@code longSeconds} (1800) of the long 64-byte file; {@code cli}, the README's command before its
     * subcommand, space-separated (e.g. {@code examples/bin/traffic-analyzer}, or none); {@code live}, the
     * live-cli-benchmark.sh script (or none), with {@code liveSeconds} (60) and {@code liveRate} (frames/s, 400000).
     */
    static final class Settings
    {
        long packets = 5_000_000;
        int seconds = CaptureFileGenerator.DEFAULT_SECONDS;
        List<String> profiles = List.of("64", "imix");
        int repeat = 3;
        Path work = Paths.get(System.getProperty("java.io.tmpdir"), "traffic-end-to-end");
        Path jar;
        Path pcapLoop;
        String tcpdump = "tcpdump";
        String pmacctd = "pmacctd";
        String sqlite3 = "sqlite3";
        long startupPackets = 1_000;
        String time = "/usr/bin/time";
        List<String> javaOptions = List.of("-Xms64m", "-Xmx64m", "-XX:MaxDirectMemorySize=64m",
            "-XX:+UseSerialGC");
        boolean keep;
        long timeoutSeconds = 600;
        long longPackets = 30_000_000;
        int longSeconds = 1800;
        List<String> cli;
        Path live;
        int liveSeconds = 60;
        int liveRate = 400_000;

        static Settings parse(final String[] args)
        {
            final Settings settings = new Settings();
            for (final String arg : args)
            {
                final int equals = arg.indexOf('=');
                if (equals < 1)
                {
                    throw new IllegalArgumentException("settings are name=value: " + arg);
                }
                settings.set(arg.substring(0, equals), arg.substring(equals + 1));
            }
            if (null == settings.jar)
            {
                settings.jar = ownJar();
            }

            return settings;
        }

        private void set(final String name, final String value)
        {
            final boolean none = "none".equals(value) || value.isEmpty();
            switch (name)
            {
                case "packets" -> packets = Long.parseLong(value);
                case "seconds" -> seconds = Integer.parseInt(value);
                case "profiles" -> profiles = Arrays.asList(value.split(","));
                case "repeat" -> repeat = Integer.parseInt(value);
                case "work" -> work = Paths.get(value);
                case "jar" -> jar = Paths.get(value);
                case "pcapLoop" -> pcapLoop = none ? null : Paths.get(value);
                case "tcpdump" -> tcpdump = none ? null : value;
                case "pmacctd" -> pmacctd = none ? null : value;
                case "sqlite3" -> sqlite3 = none ? null : value;
                case "startupPackets" -> startupPackets = Long.parseLong(value);
                case "time" -> time = value;
                case "javaOptions" -> javaOptions = none ? List.of() : Arrays.asList(value.trim().split("\\s+"));
                case "keep" -> keep = Boolean.parseBoolean(value);
                case "timeoutSeconds" -> timeoutSeconds = Long.parseLong(value);
                case "longPackets" -> longPackets = Long.parseLong(value);
                case "longSeconds" -> longSeconds = Integer.parseInt(value);
                case "cli" -> cli = none ? null : Arrays.asList(value.trim().split("\\s+"));
                case "live" -> live = none ? null : Paths.get(value);
                case "liveSeconds" -> liveSeconds = Integer.parseInt(value);
                case "liveRate" -> liveRate = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown setting: " + name);
            }
        }

        private static Path ownJar()
        {
            try
            {
                return Paths.get(EndToEndHarness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            }
            catch (final URISyntaxException ex)
            {
                throw new IllegalStateException(ex);
            }
        }
    }
}
