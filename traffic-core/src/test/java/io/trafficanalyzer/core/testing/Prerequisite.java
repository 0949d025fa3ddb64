package io.trafficanalyzer.core.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a gated test needs from the machine (root, a tool, the capture corpus): without it the test is skipped with
 * the reason, except under {@code CI=true}, where it fails with the reason, since CI installs everything a gated
 * test needs and a skip there would hide a test that never ran. Every test that can skip goes through here.
 */
public final class Prerequisite
{
    private Prerequisite()
    {
    }

    /**
     * Whether this run is CI's, which must run every gated test.
     *
     * @return true when the environment variable {@code CI} is {@code true}.
     */
    public static boolean isCi()
    {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Skips the calling test (fails it under CI) unless the prerequisite is met.
     *
     * @param met     whether the machine has what the test needs.
     * @param missing what is missing, said as one line, e.g. {@code "chattr (e2fsprogs) is not installed"}.
     */
    public static void require(final boolean met, final String missing)
    {
        if (!met)
        {
            missing(missing);
        }
    }

    /**
     * Skips the calling test (fails it under CI) when a reason is given.
     *
     * @param missing what is missing, or null when nothing is.
     */
    public static void requireNothingMissing(final String missing)
    {
        if (null != missing)
        {
            missing(missing);
        }
    }

    private static void missing(final String missing)
    {
        final String line = "prerequisite missing: " + missing;
        if (isCi())
        {
            Assertions.fail(line + " (CI=true: every gated test must run; .ci/run installs what they need)");
        }
        System.out.println(line + "; test skipped");
        Assumptions.abort(line);
    }
}
