package io.trafficanalyzer.pcap;

/**
 * Run without the capture capabilities: prints what opening a capture reports.
 */
final class PermissionProbe
{
    private PermissionProbe()
    {
    }

    public static void main(final String[] args)
    {
        try
        {
            PcapLiveSource.builder().interfaces(args[0]).build().close();
            System.out.println("build() succeeded");
        }
        catch (final PcapException ex)
        {
            System.out.println(ex.reason() + " " + ex.getMessage());
        }
    }
}
