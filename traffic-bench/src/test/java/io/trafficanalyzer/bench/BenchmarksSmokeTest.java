package io.trafficanalyzer.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every JMH benchmark of the module runs once, in this JVM, for one very short iteration with the smallest value of
 * each parameter, without error. It measures nothing: it keeps the benchmarks runnable.
 */
class BenchmarksSmokeTest
{
    @Test
    void shouldRunEveryBenchmarkWhenGivenOneShortIteration() throws Exception
    {
        final Set<String> expected = benchmarkMethods();
        // another JMH run on the machine holds the lock; this run measures nothing, so it need not wait for it
        System.setProperty("jmh.ignoreLock", "true");
        final Options options = new OptionsBuilder()
            .include("io\\.trafficanalyzer\\.bench\\.[A-Za-z]+Benchmark\\.")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(50))
            .param("keys", "1000")
            .param("rows", "1000")
            .param("shards", "1")
            .param("threading", "DEDICATED")
            .param("flowCache", "16384")
            .shouldFailOnError(true)
            .build();

        final Collection<RunResult> results = new Runner(options).run();

        final Set<String> ran = new TreeSet<>();
        for (final RunResult result : results)
        {
            ran.add(result.getParams().getBenchmark());
            final double score = result.getPrimaryResult().getScore();
            assertTrue(score > 0 && Double.isFinite(score), result.getParams().id() + " scored " + score);
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, ran);
    }

    /*
     * The @Benchmark methods of the *Benchmark classes compiled next to this module's classes.
     */
    private static Set<String> benchmarkMethods() throws Exception
    {
        final Path classes = Paths.get(codeSource()).resolve("io/trafficanalyzer/bench");
        final Set<String> methods = new TreeSet<>();
        try (Stream<Path> files = Files.list(classes))
        {
            for (final Path file : files.toList())
            {
                final String name = file.getFileName().toString();
                if (name.matches("[A-Za-z]+Benchmark\\.class"))
                {
                    final Class<?> type = Class.forName("io.trafficanalyzer.bench." + name.replace(".class", ""));
                    for (final Method method : type.getMethods())
                    {
                        if (method.isAnnotationPresent(Benchmark.class))
                        {
                            methods.add(type.getName() + "." + method.getName());
                        }
                    }
                }
            }
        }

        return methods;
    }

    private static java.net.URI codeSource() throws URISyntaxException
    {
        return CaptureFileGenerator.class.getProtectionDomain().getCodeSource().getLocation().toURI();
    }
}
