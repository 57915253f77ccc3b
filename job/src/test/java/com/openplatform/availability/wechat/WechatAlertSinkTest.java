package com.openplatform.availability.wechat;

import com.openplatform.availability.testing.EmbeddedPostgresExtension;
import com.openplatform.availability.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The WeChat sink's writer and committer with the ledger on PostgreSQL. */
class WechatAlertSinkTest extends WechatAlertSinkContract {
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @Override
    TestDatabase database() {
        return POSTGRES;
    }
}
