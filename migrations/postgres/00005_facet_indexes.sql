-- The distance indexes carry the columns that facets and filters read, so
-- that counting the listings or enterprises near a point (the facets of a
-- map or "near me" search) is an index-only scan instead of a visit to each
-- row. Their keys are unchanged: searches use them as before.

-- +goose Up
DROP INDEX listings_lat_lon_idx;
CREATE INDEX listings_lat_lon_idx ON listings (lat, lon)
    INCLUDE (status, valid_until, type, category, origin, enterprise_id);

DROP INDEX enterprises_lat_lon_idx;
CREATE INDEX enterprises_lat_lon_idx ON enterprises (lat, lon) INCLUDE (kind, origin, id);

-- +goose Down
DROP INDEX enterprises_lat_lon_idx;
CREATE INDEX enterprises_lat_lon_idx ON enterprises (lat, lon);

DROP INDEX listings_lat_lon_idx;
CREATE INDEX listings_lat_lon_idx ON listings (lat, lon);
