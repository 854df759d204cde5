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
	readonly d: string;
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

export const COUNTRY_SHAPES: readonly CountryShape[] = features.map((f) => {
	const main = largestPart(f);
	return { code: alpha2OfNumeric(f.id), d: path(f) ?? '', anchor: path.centroid(main), box: path.bounds(main) };
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
