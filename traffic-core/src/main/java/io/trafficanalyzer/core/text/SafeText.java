package io.trafficanalyzer.core.text;

import java.time.temporal.TemporalAccessor;
import java.util.Date;
import java.util.ResourceBundle;

/**
 * Text from outside the program (file names, interface names, native error messages) made safe for a log line or an
 * exception message: control characters, line and paragraph separators and bidirectional overrides are written as
 * escapes, so such text can neither forge a log line of its own nor hide what follows it. Printable text, backslashes
 * included, is kept as it is.
 * <p>
 * Escapes: {@code \n}, {@code \r}, {@code \t}, {@code \xNN} for the other C0 and C1 controls and DEL, and
 * {@code \}{@code uNNNN} for U+2028, U+2029, the bidirectional formatting characters, the byte-order mark and lone
 * surrogates.
 */
public final class SafeText
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SafeText()
    {
    }

    /**
     * The text with every unsafe character escaped.
     *
     * @param text any text, or null.
     * @return the same string when nothing needs escaping, else an escaped copy; "null" for null.
     */
    public static String escape(final Object text)
    {
        final String string = String.valueOf(text);
        final int length = string.length();
        int i = 0;
        while (i < length && !isUnsafe(string, i))
        {
            i++;
        }
        if (i == length)
        {
            return string;
        }

        final StringBuilder escaped = new StringBuilder(length + 16).append(string, 0, i);
        for (; i < length; i++)
        {
            final char c = string.charAt(i);
            if (!isUnsafe(string, i))
            {
                escaped.append(c);
            }
            else if ('\n' == c)
            {
                escaped.append("\\n");
            }
            else if ('\r' == c)
            {
                escaped.append("\\r");
            }
            else if ('\t' == c)
            {
                escaped.append("\\t");
            }
            else if (c <= 0xFF)
            {
                escaped.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
            else
            {
                escaped.append("\\u")
                    .append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            }
        }

        return escaped.toString();
    }

    /**
     * A logger that passes every parameter of a message through {@link #escape(Object)}, except numbers and times,
     * which keep the formatting of the logger's message format. The message patterns themselves are the program's.
     *
     * @param logger the logger to write to.
     * @return the escaping logger.
     */
    public static System.Logger escaping(final System.Logger logger)
    {
        return new EscapingLogger(logger);
    }

    private static boolean isUnsafe(final String string, final int index)
    {
        final char c = string.charAt(index);
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
        {
            return true;
        }
        if (c < 0x200E)
        {
            return false;
        }
        if (c == 0x200E || c == 0x200F || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E) ||
            (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF)
        {
            return true;
        }
        if (Character.isHighSurrogate(c))
        {
            return index + 1 >= string.length() || !Character.isLowSurrogate(string.charAt(index + 1));
        }
        if (Character.isLowSurrogate(c))
        {
            return index == 0 || !Character.isHighSurrogate(string.charAt(index - 1));
        }

        return false;
    }

    private static final class EscapingLogger implements System.Logger
    {
        private final System.Logger logger;

        EscapingLogger(final System.Logger logger)
        {
            this.logger = logger;
        }

        public String getName()
        {
            return logger.getName();
        }

        public boolean isLoggable(final Level level)
        {
            return logger.isLoggable(level);
        }

        public void log(final Level level, final ResourceBundle bundle, final String message, final Throwable thrown)
        {
            logger.log(level, bundle, message, thrown);
        }

        public void log(final Level level, final ResourceBundle bundle, final String format, final Object... params)
        {
            if (!logger.isLoggable(level))
            {
                return;
            }
            Object[] escaped = params;
            if (null != params)
            {
                escaped = params.clone();
                for (int i = 0; i < escaped.length; i++)
                {
                    final Object param = escaped[i];
                    if (!(param instanceof Number) && !(param instanceof TemporalAccessor) && !(param instanceof Date))
                    {
                        escaped[i] = escape(param);
                    }
                }
            }
            logger.log(level, bundle, format, escaped);
        }
    }
}
