// Points on the Earth, radii and great-circle distances (haversine), as board sites and trial sites use them.
// Pure arithmetic: no geocoding, so a place is either coordinates the user typed or the registry's geoPoint.

export interface GeoPoint {
  lat: number;
  lon: number;
}

export type DistanceUnit = 'km' | 'mi';

export interface Radius {
  value: number;
  unit: DistanceUnit;
}

/** IUGG mean Earth radius; haversine on a sphere is within 0.5 % of the ellipsoid, well inside "12 km away". */
const EARTH_RADIUS_KM = 6371.0088;
export const KM_PER_MILE = 1.609344;
/** Largest radius a search takes: half the Earth's circumference is "anywhere". */
export const MAX_RADIUS_KM = 20_000;

const rad = (degrees: number): number => (degrees * Math.PI) / 180;

export function haversineKm(a: GeoPoint, b: GeoPoint): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function radiusKm(radius: Radius): number {
  return radius.unit === 'km' ? radius.value : radius.value * KM_PER_MILE;
}

export function inUnit(km: number, unit: DistanceUnit): number {
  return unit === 'km' ? km : km / KM_PER_MILE;
}

export function isGeoPoint(value: { lat: unknown; lon: unknown }): value is GeoPoint {
  return (
    typeof value.lat === 'number' &&
    typeof value.lon === 'number' &&
    Number.isFinite(value.lat) &&
    Number.isFinite(value.lon) &&
    Math.abs(value.lat) <= 90 &&
    Math.abs(value.lon) <= 180
  );
}

const DECIMAL = '[-+]?\\d{1,3}(?:\\.\\d+)?';
const COORDINATES = new RegExp(`^(${DECIMAL})\\s*,\\s*(${DECIMAL})$`);

/** "48.8414,2.3400" (latitude first, decimal degrees) → a point; undefined when unreadable or out of range. */
export function parseCoordinates(text: string): GeoPoint | undefined {
  const m = COORDINATES.exec(text.trim());
  if (!m) return undefined;
  const point = { lat: Number(m[1]), lon: Number(m[2]) };
  return isGeoPoint(point) ? point : undefined;
}

/** Whether text was meant as coordinates (digits, signs, dots and one comma), readable or not. */
export function looksLikeCoordinates(text: string): boolean {
  return /^[-+\d.\s]+,[-+\d.\s]*$/.test(text.trim()) || /^[-+]?\d+(?:\.\d+)?$/.test(text.trim());
}

/** "50km", "30mi", "25 km" → a radius; undefined when unreadable, zero or beyond MAX_RADIUS_KM. */
export function parseRadius(text: string): Radius | undefined {
  const m = /^(\d{1,5}(?:\.\d+)?)\s*(km|mi)$/i.exec(text.trim());
  if (!m) return undefined;
  const radius: Radius = { value: Number(m[1]), unit: (m[2] as string).toLowerCase() as DistanceUnit };
  const km = radiusKm(radius);
  return km > 0 && km <= MAX_RADIUS_KM ? radius : undefined;
}

/** "12 km", "0.4 mi", "1,250 km": whole units from 10 up, one decimal below. */
export function distanceLabel(km: number, unit: DistanceUnit): string {
  const value = inUnit(km, unit);
  const shown = value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US');
  return `${shown} ${unit}`;
}

export function radiusLabel(radius: Radius): string {
  return `${radius.value.toLocaleString('en-US')} ${radius.unit}`;
}

/** The smallest latitude/longitude box holding every point within `km` of `centre` (for index lookups). */
export function boundingBox(
  centre: GeoPoint,
  km: number,
): { minLat: number; maxLat: number; minLon: number; maxLon: number } {
  const dLat = (km / EARTH_RADIUS_KM) * (180 / Math.PI);
  const minLat = Math.max(-90, centre.lat - dLat);
  const maxLat = Math.min(90, centre.lat + dLat);
  // Near a pole, or when the circle crosses the antimeridian, every longitude may qualify.
  const cos = Math.cos(rad(Math.max(Math.abs(minLat), Math.abs(maxLat))));
  const dLon = cos <= 1e-9 ? 180 : Math.min(180, dLat / cos);
  if (dLon >= 180 || centre.lon - dLon < -180 || centre.lon + dLon > 180)
    return { minLat, maxLat, minLon: -180, maxLon: 180 };
  return { minLat, maxLat, minLon: centre.lon - dLon, maxLon: centre.lon + dLon };
}
