package io.trafficanalyzer.sqlite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/*
 * Child process of the kill test: writes big buckets in a loop and prints "committed <start>" after each commit, so
 * that the parent knows what must survive a SIGKILL.
 */
final class KillChildMain
{
    static final int WIDTH = 10;
    static final int PORTS_PER_HOST = 4_000;

    private KillChildMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path path = Path.of(args[0]);
        final long first = Long.parseLong(args[1]);
        final int count = Integer.parseInt(args[2]);
        try (SqliteSink sink = SqliteSink.builder(path).freeSpaceFloor(0).build())
        {
            for (int i = 0; i < count; i++)
            {
                final long start = first + (long)i * WIDTH;
                big(start).writeTo(sink);
                System.out.println("committed " + start);
                System.out.flush();
            }
        }
        System.out.println("done");
    }

    /*
     * A deterministic bucket of some 20 000 rows, so that a kill is likely to land inside its transaction.
     */
    static TestBatch big(final long start)
    {
        final Random random = new Random(start);
        final TestBatch small = Traffic.batch(start, WIDTH, 0);
        final List<TestRow> rows = new ArrayList<>(small.rows());
        for (final String host : Traffic.HOSTS)
        {
            for (int port = 10_000; port < 10_000 + PORTS_PER_HOST; port++)
            {
                rows.add(TestRow.port(host, 6, port, true, random.nextInt(1_000), random.nextInt(10),
                    random.nextInt(1_000), random.nextInt(10)));
            }
        }
        return new TestBatch(start, WIDTH, small.quality(), rows);
    }
}
