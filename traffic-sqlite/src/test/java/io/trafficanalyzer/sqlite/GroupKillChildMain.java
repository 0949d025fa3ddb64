package io.trafficanalyzer.sqlite;

import java.nio.file.Path;

/*
 * Child process of the group kill test: writes groups of three big buckets, prints "committed <start>" for each
 * bucket once its group committed, and in the group given stops after its second bucket, printing "mid-group", with
 * the group's transaction open, to be killed there.
 */
final class GroupKillChildMain
{
    static final int GROUP = 3;

    private GroupKillChildMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path path = Path.of(args[0]);
        final long first = Long.parseLong(args[1]);
        final int stopInGroup = Integer.parseInt(args[2]);
        try (SqliteSink sink = SqliteSink.builder(path).freeSpaceFloor(0).build())
        {
            for (int group = 0; ; group++)
            {
                sink.onGroupStart();
                for (int i = 0; i < GROUP; i++)
                {
                    KillChildMain.big(start(first, group, i)).writeTo(sink);
                    if (group == stopInGroup && i == 1)
                    {
                        System.out.println("mid-group");
                        System.out.flush();
                        Thread.sleep(Long.MAX_VALUE);
                    }
                }
                sink.onGroupEnd();
                for (int i = 0; i < GROUP; i++)
                {
                    System.out.println("committed " + start(first, group, i));
                }
                System.out.flush();
            }
        }
    }

    static long start(final long first, final int group, final int index)
    {
        return first + (long)(group * GROUP + index) * KillChildMain.WIDTH;
    }
}
