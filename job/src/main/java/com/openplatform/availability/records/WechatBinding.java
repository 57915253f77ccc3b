package com.openplatform.availability.records;

import java.util.Objects;

/** A provider engineer's WeChat bound to (or unbound from) a developerId (docs/reference.md §3). */
public class WechatBinding {
    public static final String ACCOUNT_TYPE_ISV = "isv";
    public static final String ACCOUNT_TYPE_BRAND = "brand";

    private long developerId;
    private String openId;
    private boolean bound;
    private String role;
    private String accountType = ACCOUNT_TYPE_ISV;
    private long version;

    public WechatBinding() {}

    public WechatBinding(
            long developerId,
            String openId,
            boolean bound,
            String role,
            String accountType,
            long version) {
        this.developerId = developerId;
        this.openId = openId;
        this.bound = bound;
        this.role = role;
        this.accountType = accountType;
        this.version = version;
    }

    public long getDeveloperId() {
        return developerId;
    }

    public void setDeveloperId(long developerId) {
        this.developerId = developerId;
    }

    public String getOpenId() {
        return openId;
    }

    public void setOpenId(String openId) {
        this.openId = openId;
    }

    public boolean isBound() {
        return bound;
    }

    public void setBound(boolean bound) {
        this.bound = bound;
    }

    public String getRole() {
        return role;
    }

    public void setRole(String role) {
        this.role = role;
    }

    public String getAccountType() {
        return accountType;
    }

    public void setAccountType(String accountType) {
        this.accountType = accountType;
    }

    public long getVersion() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof WechatBinding)) {
            return false;
        }
        WechatBinding that = (WechatBinding) o;
        return developerId == that.developerId
                && bound == that.bound
                && version == that.version
                && Objects.equals(openId, that.openId)
                && Objects.equals(role, that.role)
                && Objects.equals(accountType, that.accountType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(developerId, openId, version);
    }

    @Override
    public String toString() {
        return "WechatBinding{developerId="
                + developerId
                + ", openId="
                + openId
                + ", bound="
                + bound
                + ", role="
                + role
                + ", accountType="
                + accountType
                + ", version="
                + version
                + '}';
    }
}
