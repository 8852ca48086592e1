// Distances on the sphere, radii and boxes, checked against distances known independently.

import {
  boundingBox,
  distanceLabel,
  haversineKm,
  parseCoordinates,
  parseRadius,
  radiusKm,
} from '../../src/core/geo';

const PARIS = { lat: 48.8566, lon: 2.3522 };
const LYON = { lat: 45.764, lon: 4.8357 };
const NEW_YORK = { lat: 40.7128, lon: -74.006 };

it('measures great-circle distances (Paris–Lyon ≈ 392 km, Paris–New York ≈ 5,837 km)', () => {
  expect(haversineKm(PARIS, LYON)).toBeCloseTo(392, -1);
  expect(haversineKm(PARIS, NEW_YORK)).toBeCloseTo(5837, -2);
  expect(haversineKm(PARIS, PARIS)).toBe(0);
  // Across the antimeridian: Fiji to Samoa is ~1,150 km, not most of the way round.
  expect(haversineKm({ lat: -18.1, lon: 178.4 }, { lat: -13.8, lon: -171.8 })).toBeLessThan(1200);
});

it('reads radii in km and miles and labels distances in the unit asked', () => {
  expect(parseRadius('50km')).toEqual({ value: 50, unit: 'km' });
  expect(parseRadius('30MI')).toEqual({ value: 30, unit: 'mi' });
  expect(radiusKm({ value: 30, unit: 'mi' })).toBeCloseTo(48.28, 2);
  expect(parseRadius('0km')).toBeUndefined();
  expect(parseRadius('50')).toBeUndefined();
  expect(parseRadius('99999km')).toBeUndefined();
  expect(distanceLabel(392.4, 'km')).toBe('392 km');
  expect(distanceLabel(392.4, 'mi')).toBe('244 mi');
  expect(distanceLabel(1.04, 'km')).toBe('1.0 km');
});

it('reads coordinates latitude first and refuses points off the globe', () => {
  expect(parseCoordinates('48.8414,2.3400')).toEqual({ lat: 48.8414, lon: 2.34 });
  expect(parseCoordinates(' -33.87 , 151.21 ')).toEqual({ lat: -33.87, lon: 151.21 });
  expect(parseCoordinates('91,0')).toBeUndefined();
  expect(parseCoordinates('0,181')).toBeUndefined();
  expect(parseCoordinates('Lyon')).toBeUndefined();
});

it('bounds every point within the radius in its box, near the poles and the antimeridian too', () => {
  for (const [centre, km] of [
    [PARIS, 100],
    [{ lat: 89.5, lon: 10 }, 200],
    [{ lat: -18.1, lon: 179.9 }, 300],
  ] as const) {
    const box = boundingBox(centre, km);
    for (let bearing = 0; bearing < 360; bearing += 15) {
      // A point km·0.999 away on this bearing (spherical destination formula).
      const d = (km * 0.999) / 6371.0088;
      const b = (bearing * Math.PI) / 180;
      const φ1 = (centre.lat * Math.PI) / 180;
      const λ1 = (centre.lon * Math.PI) / 180;
      const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(b));
      const λ2 =
        λ1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * Math.sin(φ2));
      const lat = (φ2 * 180) / Math.PI;
      const lon = (((λ2 * 180) / Math.PI + 540) % 360) - 180;
      expect(haversineKm(centre, { lat, lon })).toBeLessThanOrEqual(km);
      expect(lat).toBeGreaterThanOrEqual(box.minLat);
      expect(lat).toBeLessThanOrEqual(box.maxLat);
      expect(lon).toBeGreaterThanOrEqual(box.minLon);
      expect(lon).toBeLessThanOrEqual(box.maxLon);
    }
  }
});
