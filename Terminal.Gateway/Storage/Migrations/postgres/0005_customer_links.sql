-- 0005 (PostgreSQL): the customer's result page behind paymentRedirectUrl (docs/customer-page.md). One link per order-code
-- payment. The token itself is not stored: token_hash (SHA-256 of it) finds the row, seed is the random value the
-- token is derived from with a key only the gateway holds (so a repeated pay sends the same URL).
CREATE TABLE customer_links (
    token_hash         TEXT PRIMARY KEY,            -- lower-case hex SHA-256 of the token
    payment_request_id TEXT NOT NULL,
    seed               TEXT NOT NULL,               -- base64 of 16 random bytes
    store_name         TEXT NULL,                   -- order.merchant.store.storeName as sent to Antom
    created_at         BIGINT NOT NULL,
    expires_at         BIGINT NOT NULL,
    inquiries          BIGINT NOT NULL DEFAULT 0,  -- inquiryPayment calls made for the page
    last_inquiry_at    BIGINT NULL,
    result_code        TEXT NULL                    -- paymentResultCode of the page's last final inquiry
);
CREATE UNIQUE INDEX ux_customer_links_payment_request_id ON customer_links (payment_request_id);
CREATE INDEX ix_customer_links_expires_at ON customer_links (expires_at);
