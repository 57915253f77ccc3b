package com.openplatform.availability.records;

import java.io.Serializable;

/** Reads one WeChat binding update (docs/reference.md §3). */
public final class WechatBindingParser implements Serializable {
    private static final long serialVersionUID = 1L;

    public WechatBinding parse(byte[] raw) throws RecordRejectedException {
        WechatBinding binding = new WechatBinding();
        binding.setRole("primary");
        RequiredFields seen = new RequiredFields("developerId", "openId", "bound", "version");
        StrictJson.readObject(
                raw,
                (field, parser) -> {
                    switch (field) {
                        case "developerId":
                            binding.setDeveloperId(
                                    StrictJson.integer(parser, field, 1, Long.MAX_VALUE));
                            break;
                        case "openId":
                            binding.setOpenId(StrictJson.string(parser, field, 128));
                            break;
                        case "bound":
                            binding.setBound(StrictJson.bool(parser, field));
                            break;
                        case "role":
                            binding.setRole(StrictJson.string(parser, field, 32));
                            break;
                        case "accountType":
                            binding.setAccountType(
                                    accountType(StrictJson.string(parser, field, 16)));
                            break;
                        case "version":
                            binding.setVersion(
                                    StrictJson.integer(parser, field, 0, Long.MAX_VALUE));
                            break;
                        default:
                            return false;
                    }
                    seen.mark(field);
                    return true;
                });
        seen.check();
        return binding;
    }

    private static String accountType(String value) throws RecordRejectedException {
        if (!WechatBinding.ACCOUNT_TYPE_ISV.equals(value)
                && !WechatBinding.ACCOUNT_TYPE_BRAND.equals(value)) {
            throw new RecordRejectedException(
                    RejectReason.INVALID_FIELD,
                    "'accountType' must be 'isv' or 'brand', found " + value);
        }
        return value;
    }
}
