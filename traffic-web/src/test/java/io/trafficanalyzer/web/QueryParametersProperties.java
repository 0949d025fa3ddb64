package io.trafficanalyzer.web;

import io.trafficanalyzer.web.query.TrafficDocuments.TopView;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryParametersProperties
{
    private static final Set<String> TOP = Set.of("by", "host", "limit", "last", "from", "to");

    @Property(tries = 2000)
    void shouldReadAnyQueryOrRefuseItWithA4xxNamingAKnownParameter(@ForAll("queries") final String query)
    {
        try
        {
            final QueryParameters parameters = QueryParameters.parse(query, TOP);
            parameters.choice("by", TopView.class, TopView.hosts);
            parameters.address("host");
            final int limit = parameters.integer("limit", 10, 1, 1000);
            parameters.duration("last");
            parameters.time("from");
            parameters.time("to");
            assertTrue(limit >= 1 && limit <= 1000);
        }
        catch (final BadRequest ex)
        {
            assertTrue(ex.status() == 400 || ex.status() == 414, ex::getMessage);
            assertEquals(-1, ex.getMessage().indexOf('\n'), ex::getMessage);
            assertTrue(ex.getMessage().length() < 300, ex::getMessage);
        }
    }

    @Provide
    Arbitrary<String> queries()
    {
        final Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of("by", "host", "limit", "last", "from", "to"),
            Arbitraries.strings().ofMaxLength(12));
        final Arbitrary<String> known = Arbitraries.of("hosts", "ports", "peers", "10.0.0.1", "::1", "fe80::1%eth0",
            "1h", "30d", "PT5M", "99999999999d", "2024-05-01", "2024-05-01T10:00:00Z", "+999999999-12-31T23:59:59Z",
            "0", "-1", "2147483648", "1e3", "P1000000000D", "PT-1S");
        final Arbitrary<String> values = Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(80), known, Arbitraries.integers().map(Object::toString));
        final Arbitrary<String> pair = names.flatMap((name) -> values.map((value) ->
            URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return pair.list().ofMaxSize(8).map((pairs) -> String.join("&", pairs));
    }
}
