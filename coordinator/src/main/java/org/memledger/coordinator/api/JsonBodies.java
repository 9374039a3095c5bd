package org.memledger.coordinator.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.netty.handler.codec.http.HttpHeaderNames;

import org.memledger.protocol.CommandValidator;
import org.memledger.protocol.FieldError;
import org.memledger.protocol.Replicas;
import org.memledger.protocol.json.InvalidFieldException;
import org.memledger.protocol.json.Json;

/**
 * Reads request bodies with the strict protocol mapper and turns every way a body can be wrong
 * into a 400 that names the field: unknown field ({@code UNKNOWN_FIELD}), wrong type, out of range
 * or missing ({@code INVALID_ARGUMENT}), not JSON at all ({@code MALFORMED_JSON}). Jackson's own
 * messages are not passed through: they name Java types, which mean nothing to a client.
 */
public final class JsonBodies {
    private static final int MAX_QUOTED_LENGTH = 60;

    private final ObjectMapper strict = Json.strict();

    public ObjectMapper mapper() {
        return strict;
    }

    /** The body as {@code type}; never null. */
    public <T> T read(ApiRequest request, Class<T> type) {
        requireJsonContentType(request);
        byte[] body = request.body();
        if (body.length == 0) {
            throw new ApiError(ApiError.Code.MALFORMED_JSON, "a JSON object body is required", "body");
        }
        T value;
        try {
            value = strict.readValue(body, type);
        } catch (IOException e) {
            throw translate(e);
        }
        if (value == null) {
            throw new ApiError(ApiError.Code.INVALID_ARGUMENT, "the body must be a JSON object, not null", "body");
        }
        return value;
    }

    /** For actions without parameters: the body must be empty or {@code {}}. */
    public void readEmpty(ApiRequest request) {
        if (request.body().length == 0) {
            return;
        }
        requireJsonContentType(request);
        try {
            Map<?, ?> fields = strict.readValue(request.body(), Map.class);
            if (fields == null || !fields.isEmpty()) {
                String first = fields == null ? "body" : String.valueOf(fields.keySet().iterator().next());
                throw new ApiError(ApiError.Code.UNKNOWN_FIELD, "unknown field '" + first
                        + "': this action takes no body (or {})", first);
            }
        } catch (IOException e) {
            throw translate(e);
        }
    }

    public byte[] write(Object value) {
        try {
            return strict.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** A command's shape check ({@link CommandValidator}) as a 400 naming the field. */
    public static void validate(org.memledger.protocol.Command command) {
        CommandValidator.validate(command).ifPresent(error -> {
            throw invalid(error);
        });
    }

    static ApiError invalid(FieldError error) {
        String message = error.message().startsWith(error.field()) ? error.message()
                : error.field() + ": " + error.message();
        return ApiError.invalid(error.field(), message);
    }

    static ApiError invalid(InvalidFieldException e) {
        return ApiError.invalid(e.field(), e.getMessage());
    }

    static void requireJsonContentType(ApiRequest request) {
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null) {
            return; // curl --data-binary without -H: accepted, the body must still be JSON
        }
        String mime = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/json") && !mime.endsWith("+json")) {
            throw new ApiError(ApiError.Code.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json, was '"
                    + quote(type) + "'", "Content-Type");
        }
    }

    static ApiError translate(IOException e) {
        if (e instanceof UnrecognizedPropertyException) {
            UnrecognizedPropertyException u = (UnrecognizedPropertyException) e;
            String field = path(u);
            List<String> known = new ArrayList<>();
            if (u.getKnownPropertyIds() != null) {
                u.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
            }
            known.sort(null);
            return new ApiError(ApiError.Code.UNKNOWN_FIELD, "unknown field '" + field + "'"
                    + (known.isEmpty() ? "" : "; known fields here: " + String.join(", ", known)), field);
        }
        if (e instanceof MismatchedInputException) {
            return mismatched((MismatchedInputException) e);
        }
        if (e instanceof JsonMappingException) {
            JsonMappingException m = (JsonMappingException) e;
            if (m.getCause() instanceof IOException && !(m.getCause() instanceof JsonMappingException)) {
                return translate((IOException) m.getCause());
            }
            String field = path(m);
            return ApiError.invalid(field.isEmpty() ? "body" : field,
                    (field.isEmpty() ? "body" : field) + ": " + quote(m.getOriginalMessage()));
        }
        if (e instanceof StreamConstraintsException) {
            return new ApiError(ApiError.Code.MALFORMED_JSON, "the body exceeds a JSON limit (nesting depth "
                    + Json.MAX_NESTING_DEPTH + ", number length " + Json.MAX_NUMBER_LENGTH + "): "
                    + quote(((StreamConstraintsException) e).getOriginalMessage()), "body");
        }
        if (e instanceof StreamReadException) {
            StreamReadException s = (StreamReadException) e;
            String field = parserPath(s.getProcessor());
            if (s instanceof com.fasterxml.jackson.core.exc.InputCoercionException) {
                return ApiError.invalid(field, field + ": number out of range ("
                        + describe(((com.fasterxml.jackson.core.exc.InputCoercionException) s).getTargetType()) + ")");
            }
            String where = s.getLocation() == null ? "" : " at line " + s.getLocation().getLineNr() + ", column "
                    + s.getLocation().getColumnNr();
            String message = s instanceof JsonParseException || s.getOriginalMessage() != null
                    ? quote(s.getOriginalMessage()) : "unreadable";
            return new ApiError(ApiError.Code.MALFORMED_JSON, "the body is not valid JSON" + where + ": " + message,
                    field.isEmpty() ? "body" : field);
        }
        return new ApiError(ApiError.Code.MALFORMED_JSON, "the body could not be read: " + quote(e.getMessage()),
                "body");
    }

    private static ApiError mismatched(MismatchedInputException e) {
        String field = path(e);
        if (field.isEmpty()) {
            if (e.getMessage() != null && e.getMessage().startsWith("No content")) {
                return new ApiError(ApiError.Code.MALFORMED_JSON, "a JSON object body is required", "body");
            }
            if (e.getMessage() != null && e.getMessage().startsWith("Trailing token")) {
                return new ApiError(ApiError.Code.MALFORMED_JSON, "the body has content after its JSON value", "body");
            }
            return ApiError.invalid("body", "the body must be a JSON object");
        }
        Class<?> target = e.getTargetType();
        String got = e instanceof InvalidFormatException
                ? describeValue(((InvalidFormatException) e).getValue())
                : describeToken(e.getProcessor());
        return ApiError.invalid(field, field + ": expected " + describe(target) + (got.isEmpty() ? "" : ", got " + got));
    }

    /** The JSON path of a mapping failure: {@code deploymentUsage.d1}, {@code tokens[2].role}. */
    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String parserPath(Object processor) {
        if (!(processor instanceof JsonParser)) {
            return "";
        }
        List<String> names = new ArrayList<>();
        for (JsonStreamContext c = ((JsonParser) processor).getParsingContext(); c != null && !c.inRoot();
             c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                names.add(0, c.getCurrentName());
            } else if (c.inArray()) {
                names.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            }
        }
        return String.join(".", names).replace(".[", "[");
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class
                || type == Short.class || type == short.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Replicas.class) {
            return "a count from 1 to " + CommandValidator.MAX_REPLICAS + " or \"ALL\"";
        }
        if (type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                names.add(((Enum<?>) constant).name());
            }
            return "one of " + String.join(", ", names);
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String describeValue(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "\"" + quote((String) value) + "\"";
        }
        return quote(String.valueOf(value));
    }

    private static String describeToken(Object processor) {
        if (!(processor instanceof JsonParser)) {
            return "";
        }
        JsonToken token = ((JsonParser) processor).currentToken();
        if (token == null) {
            return "";
        }
        switch (token) {
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
                return "an integer";
            case VALUE_NUMBER_FLOAT:
                return "a number with a fraction or exponent";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            case START_OBJECT:
            case END_OBJECT:
                return "an object";
            case START_ARRAY:
            case END_ARRAY:
                return "an array";
            default:
                return "";
        }
    }

    private static String quote(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_QUOTED_LENGTH * 3 ? oneLine : oneLine.substring(0, MAX_QUOTED_LENGTH * 3) + "…";
    }
}
