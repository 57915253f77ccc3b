package com.openplatform.availability.wechat;

import com.openplatform.availability.testing.MariaDbExtension;
import com.openplatform.availability.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The WeChat sink's writer and committer with the ledger on MariaDB (the MySQL dialect). */
class WechatAlertSinkMariaDbTest extends WechatAlertSinkContract {
    @RegisterExtension static final MariaDbExtension MARIADB = new MariaDbExtension();

    @Override
    TestDatabase database() {
        return MARIADB;
    }
}
