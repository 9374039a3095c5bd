package org.memledger.protocol.json;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import org.memledger.protocol.CommandValidator;
import org.memledger.protocol.Replicas;

/**
 * JSON forms of protocol values that are not plain records: {@link Replicas} is a number
 * ({@code 3}) or the string {@code "ALL"}.
 */
final class ProtocolModule extends SimpleModule {
    static final String REPLICAS_EXPECTED = "a count from 1 to " + CommandValidator.MAX_REPLICAS + " or \"ALL\"";

    ProtocolModule() {
        super("memledger-protocol");
        addSerializer(Replicas.class, new ReplicasSerializer());
        addDeserializer(Replicas.class, new ReplicasDeserializer());
    }

    private static final class ReplicasSerializer extends JsonSerializer<Replicas> {
        @Override
        public void serialize(Replicas value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            if (value.isAll()) {
                gen.writeString("ALL");
            } else {
                gen.writeNumber(value.count());
            }
        }
    }

    /**
     * Only an integer token or the exact string {@code "ALL"}. A count of 0 is refused here rather
     * than read as {@link Replicas#ALL} (whose count is 0): "run everywhere" must be said in words.
     */
    private static final class ReplicasDeserializer extends JsonDeserializer<Replicas> {
        @Override
        public Replicas deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_STRING && "ALL".equals(p.getText())) {
                return Replicas.ALL;
            }
            if (token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT
                    && p.getIntValue() >= 1) {
                return Replicas.of(p.getIntValue());
            }
            return (Replicas) ctxt.handleWeirdStringValue(Replicas.class, p.getText(), "must be " + REPLICAS_EXPECTED);
        }
    }
}
