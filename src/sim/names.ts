/**
 * Made-up names for the demo catalogue and listeners: artist names, track titles, album
 * titles and display names, assembled from the word lists below. Every name is a function of
 * the Rng it is given, and a NameForge remembers what it has handed out so names stay unique
 * (artists, albums within an artist) or rarely repeat (track titles).
 */
import type { Rng } from './random.js';

const ADJECTIVES = [
  'Silent', 'Golden', 'Broken', 'Electric', 'Velvet', 'Hollow', 'Wild', 'Quiet', 'Distant', 'Burning',
  'Frozen', 'Gentle', 'Restless', 'Faded', 'Lucky', 'Lonely', 'Bright', 'Secret', 'Endless', 'Tender',
  'Crooked', 'Neon', 'Paper', 'Glass', 'Iron', 'Sleepy', 'Hungry', 'Honest', 'Crimson', 'Lazy',
  'Midnight', 'Sunday', 'Little', 'Heavy', 'Slow', 'Sweet', 'Bitter', 'Cosmic', 'Tiny', 'Giant',
  'Humble', 'Savage', 'Holy', 'Modern', 'Ancient', 'Lost', 'Hidden', 'Cold', 'Warm', 'Drowsy',
  'Wandering', 'Shining', 'Rolling', 'Falling', 'Rising', 'Running', 'Dancing', 'Howling', 'Whispering', 'Shaking',
  'Northern', 'Southern', 'Eastern', 'Western', 'Urban', 'Rural', 'Salty', 'Dusty', 'Rusty', 'Misty',
  'Stormy', 'Sunny', 'Cloudy', 'Rainy', 'Windy', 'Velour', 'Plastic', 'Analog', 'Digital', 'Magnetic',
  'Static', 'Liquid', 'Hazy', 'Empty', 'Curious', 'Careless', 'Fearless', 'Reckless', 'Patient', 'Stubborn',
  'Brave', 'Shy', 'Proud', 'Sacred', 'Strange', 'Familiar', 'Borrowed', 'Stolen', 'Painted', 'Silver',
];

const NOUNS = [
  'Heart', 'River', 'Mountain', 'Window', 'Mirror', 'Garden', 'Harbor', 'Lantern', 'Engine', 'Ocean',
  'Forest', 'Desert', 'Highway', 'Kingdom', 'Island', 'Valley', 'Shadow', 'Signal', 'Machine', 'Letter',
  'Feather', 'Stone', 'Anchor', 'Compass', 'Meadow', 'Canyon', 'Satellite', 'Comet', 'Planet', 'Galaxy',
  'Horizon', 'Thunder', 'Lightning', 'Echo', 'Whisper', 'Ghost', 'Angel', 'Wolf', 'Fox', 'Raven',
  'Sparrow', 'Tiger', 'Lion', 'Bear', 'Deer', 'Horse', 'Dragon', 'Serpent', 'Moth', 'Bee',
  'Candle', 'Flame', 'Ember', 'Ash', 'Smoke', 'Rain', 'Snow', 'Frost', 'Storm', 'Cloud',
  'Moon', 'Sun', 'Star', 'Sky', 'Tide', 'Wave', 'Shore', 'Bridge', 'Tower', 'Castle',
  'Circus', 'Carnival', 'Parade', 'Radio', 'Cassette', 'Vinyl', 'Record', 'Guitar', 'Piano', 'Drum',
  'Violin', 'Trumpet', 'Siren', 'Bell', 'Clock', 'Key', 'Door', 'Road', 'Street', 'Avenue',
  'Station', 'Train', 'Airplane', 'Rocket', 'Boat', 'Car', 'Bicycle', 'Balloon', 'Kite', 'Crown',
  'Diamond', 'Pearl', 'Ruby', 'Velvet', 'Silk', 'Honey', 'Sugar', 'Cherry', 'Peach', 'Lemon',
  'Orchid', 'Rose', 'Lily', 'Willow', 'Oak', 'Pine', 'Ivy', 'Clover', 'Daisy', 'Tulip',
  'Summer', 'Winter', 'Autumn', 'Spring', 'Morning', 'Evening', 'Twilight', 'Dawn', 'Dusk', 'Night',
  'Dream', 'Memory', 'Promise', 'Secret', 'Story', 'Song', 'Prayer', 'Riddle', 'Rumor', 'Habit',
  'Fever', 'Pulse', 'Spark', 'Wire', 'Circuit', 'Voltage', 'Laser', 'Prism', 'Crystal', 'Atlas',
];

/** Darker words for heavier genres. */
const DARK_NOUNS = [
  'Abyss', 'Tomb', 'Crypt', 'Void', 'Grave', 'Throne', 'Blade', 'Skull', 'Venom', 'Chaos',
  'Plague', 'Inferno', 'Wrath', 'Doom', 'Iron', 'Hammer', 'Altar', 'Obsidian', 'Raven', 'Serpent',
  'Storm', 'Fire', 'Bone', 'Ash', 'Shadow', 'Night', 'Winter', 'Wolf', 'Blood Moon', 'Frost',
];
const DARK_ADJECTIVES = [
  'Black', 'Burning', 'Frozen', 'Eternal', 'Fallen', 'Wicked', 'Savage', 'Cursed', 'Forsaken', 'Hollow',
  'Grim', 'Iron', 'Bleeding', 'Dying', 'Silent', 'Ancient', 'Infernal', 'Howling', 'Crimson', 'Endless',
];

const COLOURS = [
  'Blue', 'Red', 'Green', 'Yellow', 'Violet', 'Amber', 'Indigo', 'Scarlet', 'Teal', 'Ivory',
  'Copper', 'Cobalt', 'Coral', 'Jade', 'Lilac', 'Ochre', 'Magenta', 'Turquoise', 'Saffron', 'Charcoal',
];

/** Places, some with accents so search folding has something to do. */
const PLACES = [
  'Stockholm', 'Malmö', 'Göteborg', 'Reykjavík', 'Oslo', 'Helsinki', 'Copenhagen', 'Berlin', 'Köln', 'Hamburg',
  'Zürich', 'Vienna', 'Kraków', 'Prague', 'Paris', 'Lyon', 'Marseille', 'Lisbon', 'Porto', 'Madrid',
  'Sevilla', 'Barcelona', 'Roma', 'Napoli', 'Athens', 'Istanbul', 'Cairo', 'Lagos', 'Accra', 'Nairobi',
  'Cape Town', 'Mumbai', 'Tokyo', 'Osaka', 'Kyoto', 'Seoul', 'Busan', 'Manila', 'Jakarta', 'Sydney',
  'Melbourne', 'Auckland', 'Honolulu', 'Los Angeles', 'San Francisco', 'Seattle', 'Portland', 'Denver', 'Austin', 'Memphis',
  'Nashville', 'New Orleans', 'Chicago', 'Detroit', 'Brooklyn', 'Boston', 'Montréal', 'Toronto', 'Havana', 'Bogotá',
  'Medellín', 'Lima', 'São Paulo', 'Rio', 'Buenos Aires', 'Santiago', 'London', 'Manchester', 'Glasgow', 'Dublin',
];

const VERBS = [
  'Run', 'Fall', 'Dance', 'Wait', 'Call', 'Hold', 'Break', 'Burn', 'Shine', 'Drift',
  'Dream', 'Fly', 'Sleep', 'Wake', 'Turn', 'Leave', 'Stay', 'Chase', 'Follow', 'Remember',
  'Forget', 'Whisper', 'Shout', 'Sing', 'Swim', 'Climb', 'Hide', 'Move', 'Breathe', 'Shake',
];

const TIME_WORDS = [
  'Tonight', 'Forever', 'Again', 'Tomorrow', 'Yesterday', 'at Dawn', 'at Midnight', 'in June', 'in the Morning', 'After Dark',
];

const PLURAL_NOUNS = [
  'Lights', 'Kids', 'Strangers', 'Lovers', 'Saints', 'Sailors', 'Wolves', 'Ghosts', 'Machines', 'Horses',
  'Pilots', 'Dreamers', 'Rebels', 'Wanderers', 'Thieves', 'Birds', 'Bells', 'Rivers', 'Echoes', 'Sparrows',
  'Twins', 'Giants', 'Monsters', 'Mirrors', 'Satellites', 'Comets', 'Tigers', 'Foxes', 'Moths', 'Angels',
];

const FIRST_NAMES = [
  'Alice', 'Astrid', 'Amara', 'Aiko', 'Ana', 'Ben', 'Bruno', 'Camila', 'Carlos', 'Chloe',
  'Chidi', 'Dana', 'Daniel', 'Diego', 'Elin', 'Emma', 'Ezra', 'Farah', 'Felix', 'Freja',
  'Gabriel', 'Grace', 'Hana', 'Hugo', 'Ines', 'Isaac', 'Ivy', 'Jamal', 'Jana', 'Jin',
  'Joaquín', 'Jonas', 'Kai', 'Kemi', 'Kenji', 'Lars', 'Leila', 'Leo', 'Lena', 'Lucía',
  'Luca', 'Maya', 'Malik', 'Marta', 'Mateo', 'Mei', 'Mia', 'Minho', 'Nadia', 'Nico',
  'Nina', 'Noah', 'Nora', 'Olu', 'Oscar', 'Paula', 'Priya', 'Quinn', 'Rafael', 'Rosa',
  'Ruby', 'Sami', 'Sara', 'Sebastián', 'Sofia', 'Soo-ah', 'Tariq', 'Theo', 'Tomás', 'Uma',
  'Valentina', 'Viktor', 'Wren', 'Xavier', 'Yara', 'Yusuf', 'Yuki', 'Zara', 'Zoë', 'Björn',
];

const SURNAMES = [
  'Adeyemi', 'Andersson', 'Baker', 'Bergström', 'Castillo', 'Chen', 'Costa', 'Dubois', 'Eriksen', 'Fischer',
  'Fontaine', 'García', 'Gómez', 'Hansen', 'Hayes', 'Ito', 'Jensen', 'Johansson', 'Kato', 'Kim',
  'Kowalski', 'Lindqvist', 'López', 'Mbeki', 'Moreau', 'Müller', 'Nakamura', 'Novak', 'Nilsson', 'Okafor',
  'Olsen', 'Park', 'Pereira', 'Petrov', 'Quinn', 'Ramos', 'Reyes', 'Rossi', 'Santos', 'Schmidt',
  'Silva', 'Sato', 'Tanaka', 'Torres', 'Underwood', 'Valdez', 'Vance', 'Weber', 'Wright', 'Yamamoto',
  'Young', 'Zhang', 'Holloway', 'Marsh', 'Ashford', 'Blackwood', 'Calloway', 'Delgado', 'Everly', 'Winter',
];

const ENSEMBLE_KINDS = ['Quartet', 'Trio', 'Ensemble', 'Chamber Orchestra', 'Philharmonic', 'Consort', 'Sinfonietta', 'Quintet'];
const JAZZ_KINDS = ['Trio', 'Quartet', 'Quintet', 'Sextet', 'Big Band', 'Group', 'Orchestra'];
const BAND_SUFFIXES = ['Club', 'Society', 'Collective', 'Band', 'Brothers', 'Sisters', 'Parade', 'Union', 'Orchestra', 'Revival'];
const ELECTRONIC_SUFFIXES = ['System', 'Unit', 'Lab', 'Sound', 'Audio', 'Project', 'Theory', 'Collective', 'Machine', 'Works'];
const RAP_PREFIXES = ['Lil', 'Young', 'Big', 'MC', 'King', 'Saint', 'Baby', 'OG'];
const IDOL_LETTERS = 'ABCDEFGHIJKLMNOPRSTVWXYZ';

const CLASSICAL_FORMS = ['Sonata', 'Nocturne', 'Étude', 'Prelude', 'Fugue', 'Serenade', 'Rhapsody', 'Suite', 'Concerto', 'Variations'];
const CLASSICAL_KEYS = ['C', 'D', 'E', 'F', 'G', 'A', 'B', 'E-flat', 'B-flat', 'A-flat', 'F-sharp', 'C-sharp'];
const TITLE_SUFFIXES = ['Reprise', 'Part II', 'Night Version', 'Interlude', 'Acoustic', 'Extended', 'Slow Version', 'Demo', 'Live', 'Coda'];

/** How an artist's name is put together; the catalogue picks one per genre. */
export type NameStyle = 'band' | 'solo' | 'electronic' | 'ensemble' | 'jazz' | 'rap' | 'idol' | 'dark';

/** Hands out names and remembers them, so one forge per world keeps names distinct. */
export class NameForge {
  private readonly artistNames = new Set<string>();
  private readonly trackTitles = new Set<string>();

  artistName(rng: Rng, style: NameStyle): string {
    for (let attempt = 0; attempt < 8; attempt++) {
      const name = artistCandidate(rng, style);
      if (!this.artistNames.has(name)) {
        this.artistNames.add(name);
        return name;
      }
    }
    // Crowded name space: disambiguate the way real catalogues do, with a place in brackets.
    const base = artistCandidate(rng, style);
    for (let i = 0; ; i++) {
      const name = i < PLACES.length ? `${base} (${PLACES[(hashIndex(base) + i) % PLACES.length]})` : `${base} ${i}`;
      if (!this.artistNames.has(name)) {
        this.artistNames.add(name);
        return name;
      }
    }
  }

  /** A track title; retries a few times to avoid repeats, then adds a version suffix. */
  trackTitle(rng: Rng, style: NameStyle): string {
    let title = '';
    for (let attempt = 0; attempt < 6; attempt++) {
      title = titleCandidate(rng, style);
      if (!this.trackTitles.has(title)) {
        this.trackTitles.add(title);
        return title;
      }
    }
    for (let i = 0; ; i++) {
      const suffix = i < TITLE_SUFFIXES.length ? TITLE_SUFFIXES[i] : `Take ${i - TITLE_SUFFIXES.length + 2}`;
      const versioned = `${title} (${suffix})`;
      if (!this.trackTitles.has(versioned)) {
        this.trackTitles.add(versioned);
        return versioned;
      }
    }
  }

  /**
   * An album title, distinct among `taken` (the artist's other albums). Sometimes the album
   * is named after its lead track, as they often are.
   */
  albumTitle(rng: Rng, style: NameStyle, leadTrack: string, taken: Set<string>): string {
    for (let attempt = 0; ; attempt++) {
      const title = attempt === 0 && rng.chance(0.2) ? leadTrack : albumCandidate(rng, style);
      const name = attempt < 6 ? title : `${title} Vol. ${attempt - 4}`;
      if (!taken.has(name)) {
        taken.add(name);
        return name;
      }
    }
  }

  /** "First L." display names. Repeats are allowed: plenty of people share a name and an initial. */
  displayName(rng: Rng): string {
    return `${rng.pick(FIRST_NAMES)} ${rng.pick(SURNAMES)[0]}.`;
  }
}

/** A track title without the uniqueness bookkeeping: for catalogues too large to remember every title. */
export function trackTitleCandidate(rng: Rng, style: NameStyle): string {
  return titleCandidate(rng, style);
}

function hashIndex(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0;
  return h;
}

function artistCandidate(rng: Rng, style: NameStyle): string {
  switch (style) {
    case 'solo':
      return rng.chance(0.8) ? `${rng.pick(FIRST_NAMES)} ${rng.pick(SURNAMES)}` : `${rng.pick(FIRST_NAMES)} ${rng.pick(NOUNS)}`;
    case 'ensemble': {
      const r = rng.next();
      if (r < 0.45) return `${rng.pick(PLACES)} ${rng.pick(ENSEMBLE_KINDS)}`;
      if (r < 0.8) return `${rng.pick(SURNAMES)} ${rng.pick(ENSEMBLE_KINDS)}`;
      return `${rng.pick(FIRST_NAMES)} ${rng.pick(SURNAMES)}`;
    }
    case 'jazz': {
      const r = rng.next();
      if (r < 0.5) return `${rng.pick(FIRST_NAMES)} ${rng.pick(SURNAMES)} ${rng.pick(JAZZ_KINDS)}`;
      if (r < 0.75) return `The ${rng.pick(SURNAMES)} ${rng.pick(JAZZ_KINDS)}`;
      return `${rng.pick(FIRST_NAMES)} ${rng.pick(SURNAMES)}`;
    }
    case 'electronic': {
      const r = rng.next();
      if (r < 0.25) return `${rng.pick(COLOURS)} ${rng.pick(NOUNS)}`;
      if (r < 0.45) return `${rng.pick(NOUNS)} ${rng.pick(ELECTRONIC_SUFFIXES)}`;
      if (r < 0.6) return `DJ ${rng.pick(NOUNS)}`;
      if (r < 0.8) return `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`;
      const first = rng.int(NOUNS.length);
      const second = (first + 1 + rng.int(NOUNS.length - 1)) % NOUNS.length;
      return `${NOUNS[first]}${NOUNS[second].toLowerCase()}`;
    }
    case 'rap': {
      const r = rng.next();
      if (r < 0.45) return `${rng.pick(RAP_PREFIXES)} ${rng.pick(NOUNS)}`;
      if (r < 0.7) return `${rng.pick(FIRST_NAMES)} ${rng.pick(NOUNS)}`;
      if (r < 0.85) return `${rng.pick(NOUNS)} ${rng.pick(['Gang', 'Crew', 'Mob', 'Squad', 'Clique'])}`;
      return `${rng.pick(ADJECTIVES)} ${rng.pick(FIRST_NAMES)}`;
    }
    case 'idol': {
      const r = rng.next();
      if (r < 0.5) {
        let letters = '';
        const n = rng.intBetween(2, 4);
        for (let i = 0; i < n; i++) letters += IDOL_LETTERS[rng.int(IDOL_LETTERS.length)];
        return rng.chance(0.4) ? `${letters}${rng.intBetween(1, 12)}` : letters;
      }
      if (r < 0.8) return `${rng.pick(ADJECTIVES)} ${rng.pick(PLURAL_NOUNS)}`;
      return `${rng.pick(FIRST_NAMES)}`.toUpperCase();
    }
    case 'dark': {
      const r = rng.next();
      if (r < 0.4) return `${rng.pick(DARK_ADJECTIVES)} ${rng.pick(DARK_NOUNS)}`;
      if (r < 0.7) return `${rng.pick(DARK_NOUNS)} of ${rng.pick(DARK_NOUNS)}`;
      return `${rng.pick(DARK_NOUNS)}${rng.pick(['born', 'fall', 'cult', 'crown', 'rot', 'wake'])}`;
    }
    case 'band':
    default: {
      const r = rng.next();
      if (r < 0.3) return `The ${rng.pick(ADJECTIVES)} ${rng.pick(PLURAL_NOUNS)}`;
      if (r < 0.45) return `${rng.pick(NOUNS)} ${rng.pick(BAND_SUFFIXES)}`;
      if (r < 0.6) return `${rng.pick(COLOURS)} ${rng.pick(PLURAL_NOUNS)}`;
      if (r < 0.72) return `${rng.pick(NOUNS)}s of ${rng.pick(PLACES)}`;
      if (r < 0.87) return `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`;
      return `${rng.pick(FIRST_NAMES)} & the ${rng.pick(PLURAL_NOUNS)}`;
    }
  }
}

function titleCandidate(rng: Rng, style: NameStyle): string {
  if (style === 'ensemble' && rng.chance(0.7)) {
    const form = rng.pick(CLASSICAL_FORMS);
    const key = rng.pick(CLASSICAL_KEYS);
    return rng.chance(0.5)
      ? `${form} No. ${rng.intBetween(1, 24)} in ${key} ${rng.chance(0.6) ? 'Major' : 'Minor'}`
      : `${form} in ${key}, Op. ${rng.intBetween(1, 120)}: ${rng.pick(['I', 'II', 'III', 'IV'])}. ${rng.pick(['Allegro', 'Adagio', 'Andante', 'Presto', 'Largo', 'Scherzo', 'Moderato'])}`;
  }
  if (style === 'dark' && rng.chance(0.6)) {
    return rng.chance(0.5) ? `${rng.pick(DARK_ADJECTIVES)} ${rng.pick(DARK_NOUNS)}` : `${rng.pick(DARK_NOUNS)} of the ${rng.pick(DARK_NOUNS)}`;
  }
  const r = rng.next();
  if (r < 0.2) return `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`;
  if (r < 0.3) return rng.pick(NOUNS);
  if (r < 0.4) return `${rng.pick(VERBS)} ${rng.pick(TIME_WORDS)}`;
  if (r < 0.48) return `${rng.pick(PLACES)} ${rng.pick(['Nights', 'Morning', 'Blues', 'Rain', 'Summer', 'Lights', 'Skyline', 'Sunset'])}`;
  if (r < 0.56) return `${rng.pick(COLOURS)} ${rng.pick(NOUNS)}`;
  if (r < 0.63) return `Don't ${rng.pick(VERBS)} the ${rng.pick(NOUNS)}`;
  if (r < 0.7) return `${rng.pick(NOUNS)} & ${rng.pick(NOUNS)}`;
  if (r < 0.77) return `When the ${rng.pick(NOUNS)} ${rng.pick(VERBS)}s`;
  if (r < 0.83) return `${rng.pick(VERBS)} Like a ${rng.pick(NOUNS)}`;
  if (r < 0.89) return `The ${rng.pick(NOUNS)} in the ${rng.pick(NOUNS)}`;
  if (r < 0.94) return `${rng.pick(ADJECTIVES)} ${rng.pick(PLURAL_NOUNS)}`;
  return `${rng.pick(NOUNS)} ${rng.pick(TIME_WORDS)}`;
}

function albumCandidate(rng: Rng, style: NameStyle): string {
  if (style === 'ensemble' && rng.chance(0.6)) {
    return `${rng.pick(['Complete', 'Selected', 'Late', 'Early', 'Collected'])} ${rng.pick(CLASSICAL_FORMS)}s`;
  }
  const r = rng.next();
  if (r < 0.2) return `${rng.pick(ADJECTIVES)} ${rng.pick(PLURAL_NOUNS)}`;
  if (r < 0.32) return `Songs from ${rng.pick(PLACES)}`;
  if (r < 0.44) return `The ${rng.pick(NOUNS)} Sessions`;
  if (r < 0.54) return rng.pick(COLOURS);
  if (r < 0.66) return rng.pick(NOUNS);
  if (r < 0.76) return `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`;
  if (r < 0.86) return `${rng.pick(NOUNS)} & ${rng.pick(NOUNS)}`;
  if (r < 0.93) return `Live in ${rng.pick(PLACES)}`;
  return `${rng.pick(NOUNS)} ${rng.pick(['EP', 'Tapes', 'Diaries', 'Years', 'Sketches'])}`;
}
