package io.trafficanalyzer.core;

import java.util.function.Function;

/**
 * Builds pipelines that decode the tests' own frame format, for the tests of other packages.
 */
public final class TestPipelines
{
    private TestPipelines()
    {
    }

    public static Function<Context, Pipeline> withTestFrames()
    {
        return (ctx) -> new Pipeline(ctx, TestFrames::decode);
    }

    public static Pipeline newPipeline(final Context ctx)
    {
        return new Pipeline(ctx.conclude(), TestFrames::decode);
    }
}
