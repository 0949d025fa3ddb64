package io.trafficanalyzer.core.status;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * pcap4j and sqlite-jdbc log through SLF4J, which prints a three-line notice on standard error the first time it is
 * used without a binding. They only log their own debugging there, so where the process has no binding this
 * initialises SLF4J once, before the library's first use, with that notice held back: every other line written to
 * standard error meanwhile still reaches it. Where the process binds SLF4J, nothing is done and they log to the
 * process's log.
 */
final class Slf4jNotice
{
    private static final Object LOCK = new Object();
    private static boolean initialised;

    private Slf4jNotice()
    {
    }

    static void initialise()
    {
        synchronized (LOCK)
        {
            if (initialised)
            {
                return;
            }
            initialised = true;
            if (Logging.slf4jBound())
            {
                return;
            }
            final Class<?> factory;
            try
            {
                factory = Class.forName("org.slf4j.LoggerFactory", false, Slf4jNotice.class.getClassLoader());
            }
            catch (final ClassNotFoundException | LinkageError ex)
            {
                return;
            }

            final PrintStream err = System.err;
            final Charset charset = Charset.defaultCharset();
            System.setErr(new PrintStream(new NoticeFilter(err, charset), true, charset));
            try
            {
                factory.getMethod("getILoggerFactory").invoke(null);
            }
            catch (final ReflectiveOperationException | LinkageError ex)
            {
                // SLF4J could not start: the library that uses it will say so itself
            }
            finally
            {
                System.setErr(err);
            }
        }
    }

    /**
     * Passes each line to the real standard error unless it is SLF4J's own notice.
     */
    private static final class NoticeFilter extends OutputStream
    {
        private final PrintStream out;
        private final Charset charset;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        NoticeFilter(final PrintStream out, final Charset charset)
        {
            this.out = out;
            this.charset = charset;
        }

        public synchronized void write(final int b)
        {
            line.write(b);
            if ('\n' == b)
            {
                final String text = line.toString(charset);
                line.reset();
                if (!text.startsWith("SLF4J"))
                {
                    out.print(text);
                    out.flush();
                }
            }
        }

        public synchronized void flush()
        {
            if (line.size() > 0 && !line.toString(charset).startsWith("SLF4J"))
            {
                out.print(line.toString(charset));
                line.reset();
            }
            out.flush();
        }
    }
}
