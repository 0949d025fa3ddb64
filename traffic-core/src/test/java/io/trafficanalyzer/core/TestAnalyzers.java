package io.trafficanalyzer.core;

/**
 * Analyzer builders whose pipeline decodes the tests' own frame format, for the tests and benchmarks of other
 * packages and modules.
 */
public final class TestAnalyzers
{
    private TestAnalyzers()
    {
    }

    public static TrafficAnalyzer.Builder withTestFrames()
    {
        return TrafficAnalyzer.builder().pipelineFactory(TestPipelines.withTestFrames());
    }
}
