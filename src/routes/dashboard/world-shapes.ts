// The world map's shapes, drawn once: world-atlas's 110m countries (TopoJSON, bundled into the app: no tile or request to
// the network) projected with d3-geo's Natural Earth projection into a fixed view box that the SVG scales to its width.
import { geoArea, geoNaturalEarth1, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import world from 'world-atlas/countries-110m.json';
import { alpha2OfNumeric } from '$lib/state/countries';

export const MAP_WIDTH = 960;
/** ISO numeric of Antarctica: left out, it holds no customers and would take a fifth of the height. */
const ANTARCTICA = '010';

export interface CountryShape {
	/** ISO alpha-2, or null for a shape without an ISO code (e.g. "N. Cyprus"). */
	readonly code: string | null;
	/** The outline; null for a country too small for the atlas, drawn as a dot at `anchor`. */
	readonly d: string | null;
	/** Where the country's label goes: the centre of its largest part (France's is in Europe, not in the Atlantic). */
	readonly anchor: readonly [number, number];
	/** The bounds of its largest part ([[left, top], [right, bottom]]): what "zoom to customers" frames. */
	readonly box: readonly [readonly [number, number], readonly [number, number]];
}

export interface ViewBox {
	readonly x: number;
	readonly y: number;
	readonly width: number;
	readonly height: number;
}

type Countries = GeometryCollection<{ name: string }>;
const topology = world as unknown as Topology<{ countries: Countries }>;
const collection = feature(topology, topology.objects.countries) as FeatureCollection<Geometry, { name: string }>;
const features = collection.features.filter((f) => String(f.id ?? '') !== ANTARCTICA);
const land: FeatureCollection = { type: 'FeatureCollection', features };
const projection = geoNaturalEarth1().fitWidth(MAP_WIDTH, land);
const path = geoPath(projection);

export const MAP_HEIGHT = Math.ceil(path.bounds(land)[1][1]);

function largestPart(f: Feature<Geometry>): Feature<Polygon | MultiPolygon | Geometry> {
	if (f.geometry.type !== 'MultiPolygon') return f;
	let best: Polygon = { type: 'Polygon', coordinates: f.geometry.coordinates[0] ?? [] };
	let bestArea = -1;
	for (const coordinates of f.geometry.coordinates) {
		const polygon: Polygon = { type: 'Polygon', coordinates };
		const area = geoArea(polygon);
		if (area > bestArea) [best, bestArea] = [polygon, area];
	}
	return { type: 'Feature', properties: {}, geometry: best };
}

/** World-atlas gives Kosovo a shape without an ISO numeric code; ISO's user-assigned XK is what people use. */
const codeOf = (f: Feature<Geometry, { name: string }>): string | null =>
	alpha2OfNumeric(f.id) ?? (f.properties.name === 'Kosovo' ? 'XK' : null);

export const COUNTRY_SHAPES: readonly CountryShape[] = features.map((f) => {
	const main = largestPart(f);
	return { code: codeOf(f), d: path(f) ?? '', anchor: path.centroid(main), box: path.bounds(main) };
});

/**
 * Countries and territories the 110m atlas has no shape for (Singapore, Malta, Liechtenstein, …): longitude and latitude
 * of the centre of their largest part, computed once with d3-geo's geoCentroid over world-atlas's countries-50m.json
 * (not bundled: 740 kB for these dots).
 */
const SMALL_COUNTRIES: Readonly<Record<string, readonly [number, number]>> = {
	AD: [1.56, 42.54],
	AG: [-61.79, 17.08],
	AI: [-63.07, 18.22],
	AS: [-170.72, -14.3],
	AW: [-69.98, 12.52],
	AX: [19.94, 60.23],
	BB: [-59.56, 13.18],
	BH: [50.54, 26.04],
	BL: [-62.84, 17.9],
	BM: [-64.76, 32.31],
	CK: [-159.79, -21.22],
	CV: [-23.64, 15.08],
	CW: [-68.97, 12.2],
	DM: [-61.36, 15.44],
	FM: [158.23, 6.89],
	FO: [-6.88, 62.17],
	GD: [-61.68, 12.12],
	GG: [-2.57, 49.47],
	GS: [-36.69, -54.36],
	GU: [144.77, 13.44],
	HK: [114.14, 22.44],
	HM: [73.52, -53.09],
	IM: [-4.54, 54.22],
	IO: [72.45, -7.33],
	JE: [-2.13, 49.22],
	KI: [-157.37, 1.85],
	KM: [43.34, -11.65],
	KN: [-62.75, 17.33],
	KY: [-81.29, 19.32],
	LC: [-60.97, 13.89],
	LI: [9.54, 47.14],
	MC: [7.41, 43.75],
	MF: [-63.06, 18.09],
	MH: [171.19, 7.11],
	MO: [113.51, 22.22],
	MP: [145.74, 15.18],
	MS: [-62.19, 16.74],
	MT: [14.44, 35.89],
	MU: [57.57, -20.28],
	MV: [73.5, 4.2],
	NF: [167.95, -29.05],
	NR: [166.93, -0.52],
	NU: [-169.87, -19.05],
	PF: [-149.42, -17.66],
	PM: [-56.33, 46.94],
	PN: [-128.32, -24.36],
	PW: [134.58, 7.51],
	SC: [55.48, -4.66],
	SG: [103.82, 1.36],
	SH: [-5.72, -15.96],
	SM: [12.46, 43.94],
	ST: [6.61, 0.24],
	SX: [-63.06, 18.05],
	TC: [-71.74, 21.81],
	TO: [-175.22, -21.17],
	VA: [12.43, 41.9],
	VC: [-61.2, 13.25],
	VG: [-64.62, 18.42],
	VI: [-64.77, 17.74],
	WF: [-178.13, -14.29],
	WS: [-172.44, -13.63]
};

export const SMALL_COUNTRY_DOTS: readonly CountryShape[] = Object.entries(SMALL_COUNTRIES).flatMap(([code, at]) => {
	const point = projection([at[0], at[1]]);
	return point ? [{ code, d: null, anchor: point, box: [point, point] as const }] : [];
});

export const WORLD: ViewBox = { x: 0, y: 0, width: MAP_WIDTH, height: MAP_HEIGHT };

/** Narrower than this (a fifth of the world), the frame would blow one small country up into a blur. */
const MIN_WIDTH = MAP_WIDTH / 5;

/**
 * The part of the map that holds `shapes` (their main parts), with a margin, in the map's proportions and inside the
 * world: a regional MSP's countries become large enough to tap on a tablet.
 */
export function frameOf(shapes: readonly CountryShape[]): ViewBox {
	if (shapes.length === 0) return WORLD;
	let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
	for (const { box } of shapes) {
		left = Math.min(left, box[0][0]);
		top = Math.min(top, box[0][1]);
		right = Math.max(right, box[1][0]);
		bottom = Math.max(bottom, box[1][1]);
	}
	const ratio = MAP_HEIGHT / MAP_WIDTH;
	let width = Math.max(MIN_WIDTH, (right - left) * 1.3, ((bottom - top) * 1.3) / ratio);
	width = Math.min(width, MAP_WIDTH);
	const height = width * ratio;
	const clamp = (value: number, max: number) => Math.min(Math.max(value, 0), max);
	return {
		x: clamp((left + right) / 2 - width / 2, MAP_WIDTH - width),
		y: clamp((top + bottom) / 2 - height / 2, MAP_HEIGHT - height),
		width,
		height
	};
}
