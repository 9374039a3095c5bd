package org.memledger.protocol.json;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Every error answer: {@code {"error":{"code":"…","message":"…","field":"…"}}}. {@code code} is a
 * stable upper-case name (see docs/api.md); {@code field} names the offending request field, header
 * or query parameter when there is one.
 */
public record ErrorBody(Detail error) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Detail(String code, String message, String field) {
    }

    public static ErrorBody of(String code, String message, String field) {
        return new ErrorBody(new Detail(code, message, field));
    }
}
