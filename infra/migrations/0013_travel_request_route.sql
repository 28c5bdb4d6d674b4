-- The way there and back of a trip (PEC KR arts. 63(2), 166(2): travel time is part of the
-- permit): a path of waypoints and a half-width in metres, as the geofence's corridor. Without it
-- a trip from Bishkek to Osh would raise a district exit in every district on the road.
alter table travel_requests add column route jsonb
  check (route is null or (jsonb_typeof(route -> 'path') = 'array' and jsonb_array_length(route -> 'path') >= 2 and (route ->> 'halfWidthM')::float8 > 0));
