package io.trafficanalyzer.core.aggregate;

import java.util.function.Function;

/**
 * Builds pipelines that decode the tests' own frame format, for the tests of other packages.
 */
public final class TestPipelines
{
    private TestPipelines()
    {
    }

    public static Function<PipelineSettings, Pipeline> withTestFrames()
    {
        return (settings) -> new Pipeline(settings, TestFrames::decode);
    }

    public static Pipeline newPipeline(final PipelineSettings settings)
    {
        return new Pipeline(settings, TestFrames::decode);
    }
}
