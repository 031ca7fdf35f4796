package dev.morpheus.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesNestedValuesEscapesStringsAndNullsNonFiniteNumbers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", "a\"b\\c\n");
        m.put("workers", List.of(1, 2));
        m.put("p99", Double.NaN);
        m.put("ok", true);
        String json = Json.write(m).replaceAll("\\s+", "");
        assertEquals("{\"mode\":\"a\\\"b\\\\c\\n\",\"workers\":[1,2],\"p99\":null,\"ok\":true}", json);
    }
}
