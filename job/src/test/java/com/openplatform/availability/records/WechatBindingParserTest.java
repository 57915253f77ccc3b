package com.openplatform.availability.records;

import static com.openplatform.availability.records.RecordJson.NODES;
import static com.openplatform.availability.records.RecordJson.object;
import static com.openplatform.availability.records.RecordJson.repeat;
import static com.openplatform.availability.records.RecordJson.with;
import static com.openplatform.availability.records.RecordJson.without;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openplatform.availability.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WechatBindingParserTest {
    private static final long DEVELOPER = 100234L;

    private final WechatBindingParser parser = new WechatBindingParser();

    private static ObjectNode binding() {
        return object(TestData.binding(DEVELOPER, "oX3f-primary", true, 3));
    }

    private WechatBinding parse(byte[] raw) throws RecordRejectedException {
        return parser.parse(raw);
    }

    private RecordRejectedException rejection(byte[] raw) {
        return assertThrows(RecordRejectedException.class, () -> parser.parse(raw));
    }

    private void assertInvalid(String field, JsonNode value) {
        RecordRejectedException e = rejection(with(binding(), field, value));
        assertEquals(RejectReason.INVALID_FIELD, e.getReason(), e.getMessage());
        assertTrue(e.getMessage().contains("'" + field + "'"), e.getMessage());
    }

    @Test
    void validBindingCarriesEveryField() throws Exception {
        WechatBinding binding = parse(with(binding(), "accountType", NODES.textNode("brand")));

        assertEquals(
                new WechatBinding(DEVELOPER, "oX3f-primary", true, "primary", "brand", 3), binding);
    }

    @Test
    void unbindingIsARecordToo() throws Exception {
        WechatBinding binding =
                parse(TestData.bytes(TestData.binding(DEVELOPER, "oX3f-backup", false, 4)));

        assertEquals(false, binding.isBound());
        assertEquals(4, binding.getVersion());
    }

    @ParameterizedTest
    @ValueSource(strings = {"developerId", "openId", "bound", "version"})
    void missingRequiredFieldIsRejectedNamingIt(String field) {
        RecordRejectedException e = rejection(without(binding(), field));

        assertEquals(RejectReason.MISSING_FIELD, e.getReason());
        assertTrue(e.getMessage().contains("'" + field + "'"), e.getMessage());
    }

    @Test
    void roleDefaultsToPrimaryAndAccountTypeToIsv() throws Exception {
        ObjectNode record = binding();
        record.remove("role");

        WechatBinding binding = parse(RecordJson.bytes(record));

        assertEquals("primary", binding.getRole());
        assertEquals(WechatBinding.ACCOUNT_TYPE_ISV, binding.getAccountType());
    }

    @Test
    void givenRoleIsKept() throws Exception {
        assertEquals("backup", parse(with(binding(), "role", NODES.textNode("backup"))).getRole());
    }

    @Test
    void accountTypeIsIsvOrBrandOnly() throws Exception {
        assertEquals(
                "isv",
                parse(with(binding(), "accountType", NODES.textNode("isv"))).getAccountType());
        assertEquals(
                "brand",
                parse(with(binding(), "accountType", NODES.textNode("brand"))).getAccountType());
        assertInvalid("accountType", NODES.textNode("chain"));
        assertInvalid("accountType", NODES.textNode("ISV"));
        assertInvalid("accountType", NODES.nullNode());
    }

    @Test
    void developerIdZeroIsNotABindableDeveloper() {
        assertInvalid("developerId", NODES.numberNode(0));
    }

    @Test
    void mistypedFieldsAreRejected() {
        assertInvalid("bound", NODES.textNode("true"));
        assertInvalid("openId", NODES.textNode(""));
        assertInvalid("openId", NODES.textNode(repeat('o', 129)));
        assertInvalid("version", NODES.numberNode(-1));
        assertInvalid("role", NODES.nullNode());
    }
}
