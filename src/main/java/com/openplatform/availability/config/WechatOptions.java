package com.openplatform.availability.config;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The WeChat Official Account the alerts are sent from. Without an app id, alerts are only logged
 * and recorded as SKIPPED. The app secret never shows in {@link #toString()}.
 */
public final class WechatOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_API_BASE_URL = "https://api.weixin.qq.com";

    private final String apiBaseUrl;
    private final String appId;
    private final String appSecret;
    private final String templateId;

    WechatOptions(String apiBaseUrl, String appId, String appSecret, String templateId) {
        this.apiBaseUrl = apiBaseUrl;
        this.appId = appId;
        this.appSecret = appSecret;
        this.templateId = templateId;
        try {
            URI uri = new URI(apiBaseUrl);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new ConfigException(
                        "--wechat.api-base-url must be an http(s) URL, found " + apiBaseUrl);
            }
        } catch (URISyntaxException e) {
            throw new ConfigException("--wechat.api-base-url is not a URL: " + apiBaseUrl);
        }
        if (appId != null && (appSecret == null || appSecret.isEmpty())) {
            throw new ConfigException(
                    "--wechat.app-id needs --wechat.app-secret or "
                            + JobConfig.ENV_WECHAT_APP_SECRET);
        }
        if (appId != null && templateId == null) {
            throw new ConfigException("--wechat.app-id needs --wechat.template-id");
        }
    }

    public boolean isConfigured() {
        return appId != null;
    }

    public String apiBaseUrl() {
        return apiBaseUrl;
    }

    public String appId() {
        return appId;
    }

    public String appSecret() {
        return appSecret;
    }

    public String templateId() {
        return templateId;
    }

    @Override
    public String toString() {
        return isConfigured()
                ? "WechatOptions{apiBaseUrl="
                        + apiBaseUrl
                        + ", appId="
                        + appId
                        + ", appSecret=***, templateId="
                        + templateId
                        + '}'
                : "WechatOptions{not configured: alerts are recorded as SKIPPED}";
    }
}
