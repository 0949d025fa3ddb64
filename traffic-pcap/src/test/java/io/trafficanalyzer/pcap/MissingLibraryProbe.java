package io.trafficanalyzer.pcap;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a JVM pointed at a library that does not exist: prints what each entry point reports.
 */
final class MissingLibraryProbe
{
    private MissingLibraryProbe()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        try
        {
            PcapLiveSource.interfaces();
            System.out.println("interfaces() succeeded");
        }
        catch (final PcapException ex)
        {
            System.out.println(ex.reason() + " " + ex.getMessage());
        }

        try
        {
            PcapLiveSource.builder().interfaces("lo").build().close();
            System.out.println("build() succeeded");
        }
        catch (final PcapException ex)
        {
            System.out.println(ex.reason() + " " + ex.getMessage());
        }

        final Path file = Files.createTempFile("probe", ".pcap");
        try
        {
            PcapFileSource.open(file).close();
            System.out.println("open() succeeded");
        }
        catch (final PcapException ex)
        {
            System.out.println(ex.reason() + " " + ex.getMessage());
        }
        finally
        {
            Files.delete(file);
        }
    }
}
