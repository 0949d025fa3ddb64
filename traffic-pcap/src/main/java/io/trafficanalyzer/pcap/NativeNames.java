package io.trafficanalyzer.pcap;

import com.sun.jna.FunctionMapper;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

import java.lang.reflect.Method;
import java.util.Map;

/**
 * Maps the camelCase Java names of directly mapped native methods to the C names ({@code pcapNextEx} to
 * {@code pcap_next_ex}), so the bindings follow the Java naming rules and still bind by name.
 */
final class NativeNames implements FunctionMapper
{
    /** System property naming the library to load instead of {@code pcap} ({@code wpcap} on Windows). */
    static final String PCAP_LIBRARY_PROPERTY = "io.trafficanalyzer.pcap.library";

    static final NativeNames INSTANCE = new NativeNames();

    private NativeNames()
    {
    }

    static NativeLibrary library(final String name)
    {
        return NativeLibrary.getInstance(name, Map.of(Library.OPTION_FUNCTION_MAPPER, INSTANCE));
    }

    static String pcapLibraryName()
    {
        return System.getProperty(PCAP_LIBRARY_PROPERTY, Platform.isWindows() ? "wpcap" : "pcap");
    }

    static String toC(final String javaName)
    {
        final StringBuilder sb = new StringBuilder(javaName.length() + 8);
        for (int i = 0; i < javaName.length(); i++)
        {
            final char c = javaName.charAt(i);
            if (Character.isUpperCase(c))
            {
                sb.append('_').append(Character.toLowerCase(c));
            }
            else
            {
                sb.append(c);
            }
        }

        return sb.toString();
    }

    /**
     * {@inheritDoc}
     */
    public String getFunctionName(final NativeLibrary library, final Method method)
    {
        return toC(method.getName());
    }
}
