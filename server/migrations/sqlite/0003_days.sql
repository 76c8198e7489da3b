-- Each store's sales added up per business day (and hour, rate, payment method, item), kept
-- up to date as sales sync: the owner's figures over a month or a year then read a few
-- thousand rows instead of every sale. Filled here from the sales already stored.
CREATE TABLE day_hour (
    store_id TEXT NOT NULL REFERENCES store (id),
    business_date TEXT NOT NULL,
    hour BIGINT NOT NULL,
    gross BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    sales BIGINT NOT NULL,
    refunds BIGINT NOT NULL,
    refund_total BIGINT NOT NULL,
    PRIMARY KEY (store_id, business_date, hour)
);
INSERT INTO day_hour
SELECT store_id, business_date, hour, SUM(total), SUM(tax),
       SUM(CASE WHEN kind = 'sale' THEN 1 ELSE 0 END),
       SUM(CASE WHEN kind = 'refund' THEN 1 ELSE 0 END),
       SUM(CASE WHEN kind = 'refund' THEN total ELSE 0 END)
FROM sale GROUP BY store_id, business_date, hour;

CREATE TABLE day_rate (
    store_id TEXT NOT NULL REFERENCES store (id),
    business_date TEXT NOT NULL,
    rate BIGINT NOT NULL,
    reduced BIGINT NOT NULL,
    gross BIGINT NOT NULL,
    net BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    PRIMARY KEY (store_id, business_date, rate, reduced)
);
INSERT INTO day_rate
SELECT store_id, business_date, rate, reduced, SUM(gross), SUM(net), SUM(tax)
FROM sale_rate GROUP BY store_id, business_date, rate, reduced;

CREATE TABLE day_tender (
    store_id TEXT NOT NULL REFERENCES store (id),
    business_date TEXT NOT NULL,
    method TEXT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (store_id, business_date, method)
);
INSERT INTO day_tender
SELECT store_id, business_date, method, SUM(amount)
FROM sale_tender GROUP BY store_id, business_date, method;

CREATE TABLE day_item (
    store_id TEXT NOT NULL REFERENCES store (id),
    business_date TEXT NOT NULL,
    name TEXT NOT NULL,
    qty BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (store_id, business_date, name)
);
INSERT INTO day_item
SELECT store_id, business_date, name, SUM(qty), SUM(amount)
FROM sale_line GROUP BY store_id, business_date, name;
