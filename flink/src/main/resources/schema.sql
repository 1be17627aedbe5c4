-- Newstape analytics tables, written by the Flink job as upserts on their natural keys.
-- Idempotent: the job and the tests apply it on start (into the schema on the search_path).

CREATE TABLE IF NOT EXISTS bars_1m (
  symbol      text             NOT NULL,
  start_time  timestamptz      NOT NULL,
  end_time    timestamptz      NOT NULL,
  -- 'flink' = aggregated by the job from market.trades; else the app's tag from market.bars.1m (trades, AM, A, rest)
  source      text             NOT NULL,
  open        double precision NOT NULL,
  high        double precision NOT NULL,
  low         double precision NOT NULL,
  close       double precision NOT NULL,
  volume      double precision NOT NULL,
  vwap        double precision NOT NULL,
  trades      bigint           NOT NULL,
  -- false while the minute is still open (early updates)
  complete    boolean          NOT NULL,
  updated_at  timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (symbol, start_time, source)
);

CREATE TABLE IF NOT EXISTS news (
  id           text        PRIMARY KEY,
  published    timestamptz NOT NULL,
  updated      timestamptz NOT NULL,
  title        text        NOT NULL,
  url          text        NOT NULL,
  section      text        NOT NULL,
  type         text        NOT NULL,
  trail_text   text        NOT NULL,
  tickers      text[]      NOT NULL,
  query        text        NOT NULL,
  received_at  timestamptz NOT NULL,
  stale        boolean     NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS news_published_idx ON news (published);

CREATE TABLE IF NOT EXISTS news_impact (
  article_id  text             NOT NULL,
  symbol      text             NOT NULL,
  published   timestamptz      NOT NULL,
  p0          double precision,
  ret1        double precision,
  ret5        double precision,
  ret15       double precision,
  sigma       double precision,
  z1          double precision,
  z5          double precision,
  z15         double precision,
  rvol5       double precision,
  signal      text,
  latency_ms  bigint           NOT NULL,
  stale       boolean          NOT NULL,
  final       boolean          NOT NULL,
  origin      text             NOT NULL DEFAULT 'flink',
  as_of       timestamptz      NOT NULL,
  updated_at  timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (article_id, symbol)
);
CREATE INDEX IF NOT EXISTS news_impact_published_idx ON news_impact (published);

CREATE TABLE IF NOT EXISTS ingest_rejects (
  topic        text        NOT NULL,
  partition    integer     NOT NULL,
  kafka_offset bigint      NOT NULL,
  error        text        NOT NULL,
  raw          text,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic, partition, kafka_offset)
);

-- News impact v2 (docs/impact-v2.md): the v1 columns keep their meaning; rows written before v2 keep their values
-- and have nulls here. Added in place so an existing table is extended, never recreated.
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS received_at    timestamptz;
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS source         text;
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS beta           double precision;
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS adjusted       boolean;
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS sigma_realised double precision;
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS sigma_floor    double precision;
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS ar1            double precision;
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS ar5            double precision;
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS ar15           double precision;
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS quiet1         boolean;
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS quiet5         boolean;
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS quiet15        boolean;
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS rvol_basis     text;
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS detected_at    timestamptz;
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS confirmed      boolean;
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS alert_at       timestamptz;
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS move_id        text;
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS settings       jsonb;
-- 'news-impact/v1' for rows from before v2 (null), 'news-impact/v2' after.
ALTER TABLE news_impact ADD COLUMN IF NOT EXISTS schema_version text;

-- Move alerts (signals.moves, move/v1): one row per id = <symbol>|<detectedAt>, rewritten when a headline links.
CREATE TABLE IF NOT EXISTS move_alerts (
  id           text             PRIMARY KEY,
  symbol       text             NOT NULL,
  window_start timestamptz      NOT NULL,
  detected_at  timestamptz      NOT NULL,
  direction    text             NOT NULL,
  size         double precision NOT NULL,
  z            double precision NOT NULL,
  sigma        double precision NOT NULL,
  beta         double precision NOT NULL,
  adjusted     boolean          NOT NULL,
  price        double precision NOT NULL,
  headlines    text[]           NOT NULL,
  proxy        text             NOT NULL,
  z_move       double precision NOT NULL,
  origin       text             NOT NULL DEFAULT 'flink',
  updated_at   timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS move_alerts_detected_idx ON move_alerts (detected_at);
