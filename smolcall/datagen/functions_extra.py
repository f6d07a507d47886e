"""The extended catalogue: more domains for the train rows (same format as `functions.py`).

Physics, chemistry, astronomy, electrical and civil engineering, statistics, algebra,
probability, investing, biology, ecology, nutrition, history, geography, culture, law and board
games. Invented for smolcall from general knowledge; no benchmark data. No held-out (`*`)
functions: the test split stays the base catalogue's."""

CATALOG_EXTRA = r"""
## physics
calculate_projectile_range: Calculate the horizontal range, flight time and peak height of a projectile launched over level ground without air resistance
  initial_velocity: number! num(5,80,1) | Launch speed in meters per second
  launch_angle: number! int(10,80) | Launch angle above the horizontal in degrees
  gravity: number num(1.6,24.8,2) = 9.81 | Gravitational acceleration in meters per second squared
  > A ball is launched at {initial_velocity} m/s at an angle of {launch_angle} degrees. How far does it travel before landing?
  > projectile range v0 {initial_velocity} m/s, angle {launch_angle} deg
  > Work out the range of a projectile fired at {initial_velocity} m/s and {launch_angle}° where gravity is {gravity} m/s².
  ? How far will my projectile travel if I launch it at {launch_angle} degrees?
  => range_m: num(5,650,2); flight_time_s: num(0.5,16,2); max_height_m: num(1,300,2)
physics.wave_speed: Compute the propagation speed of a wave from its frequency and wavelength
  frequency_hz: number! num(0.5,20000,1) | Frequency of the wave in hertz
  wavelength_m: number! num(0.01,100,2) | Wavelength in meters
  > A wave has a frequency of {frequency_hz} Hz and a wavelength of {wavelength_m} m. How fast does it travel?
  > wave speed f={frequency_hz} Hz, λ={wavelength_m} m
  > Please compute the speed of a {wavelength_m}-meter wave oscillating at {frequency_hz} hertz.
  => speed_m_per_s: num(1,90000,2); formula: pick(v = f * lambda)
gravitationalForce: Compute the Newtonian gravitational attraction between two masses
  mass1_kg: number! num(1,6000,1) | Mass of the first body in kilograms
  mass2_kg: number! num(1,6000,1) | Mass of the second body in kilograms
  distance_m: number! num(0.1,100,2) | Distance between the centers of mass in meters
  > What's the gravitational force between a {mass1_kg} kg mass and a {mass2_kg} kg mass that are {distance_m} m apart?
  > gravity force m1={mass1_kg}kg m2={mass2_kg}kg r={distance_m}m
  > Two boulders of {mass1_kg} kg and {mass2_kg} kg sit {distance_m} meters apart; how strongly do they attract each other?
  => force_newtons: num(0.000001,0.05,9); constant_used: pick(6.674e-11 N m^2/kg^2)
calc_momentum: Calculate the linear momentum of a moving object
  mass: number! num(0.05,2500,2) | Mass of the object, in the unit given by mass_unit
  velocity: number! num(0.5,60,1) | Velocity in meters per second
  mass_unit: enum(kg, g, lb) = kg | Unit of the mass value
  > What's the momentum of a {mass} kg object moving at {velocity} m/s?
  > momentum: {mass} {mass_unit} at {velocity} m/s
  > An object weighing {mass} pounds{mass_unit=lb} moves at {velocity} m/s. What's its momentum?
  => momentum_kg_m_per_s: num(0.1,150000,2)
physics.free_fall: Compute the fall time and impact speed of an object dropped from a height, ignoring air resistance
  height_m: number! num(1,500,1) | Drop height in meters
  initial_velocity: number num(0,20,1) = 0 | Initial downward speed in meters per second
  body: string pick(Earth|Moon|Mars|Jupiter|Venus|Titan) = Earth | Celestial body whose surface gravity applies
  > If I drop a rock from {height_m} meters, how long until it hits the ground?
  > free fall from {height_m} m, {body} gravity
  > How fast is something going when it lands after falling {height_m} m, thrown down at {initial_velocity} m/s?
  => fall_time_s: num(0.4,25,2); impact_speed_m_per_s: num(4,200,2)
pendulum_period: Compute the period of a simple pendulum
  length_m: number! num(0.1,20,2) | Length of the pendulum in meters
  gravity: number num(1.62,24.79,2) = 9.81 | Gravitational acceleration in meters per second squared
  amplitude_deg: number num(1,60,0) = 5 | Swing amplitude in degrees, used for the large-angle correction
  > How long does a full swing take for a pendulum {length_m} m long?
  > period of a {length_m} m pendulum swinging {amplitude_deg} degrees
  > pendulum period, L = {length_m} m, g = {gravity} m/s^2
  => period_s: num(0.6,9,3); frequency_hz: num(0.1,1.6,3)
refraction_angle: Apply Snell's law to find the refraction angle of light crossing from one medium into another
  incident_angle_deg: number! num(5,85,1) | Angle of incidence measured from the normal, in degrees
  from_medium: string! pick(air|water|glass|diamond|ice|acrylic|olive oil) | Medium the light is leaving
  to_medium: string! pick(air|water|glass|diamond|ice|acrylic|olive oil) | Medium the light enters
  > Light goes from {from_medium} into {to_medium} at {incident_angle_deg} degrees to the normal. What's the angle of refraction?
  > snell's law {from_medium} -> {to_medium}, incidence {incident_angle_deg}°
  > At what angle does a laser beam travel after passing from {from_medium} to {to_medium} if it hits the surface {incident_angle_deg} degrees off the normal?
  => refraction_angle_deg: num(3,80,2); total_internal_reflection: bool
doppler_shift: Compute the frequency heard by a stationary observer from a moving sound source
  source_frequency_hz: number! num(100,5000,1) | Frequency emitted by the source in hertz
  source_speed: number! num(1,90,1) | Speed of the source in meters per second
  approaching: boolean = true | True if the source moves toward the observer, false if it moves away
  sound_speed: number num(1430,1540,0) = 343 | Speed of sound in the medium in meters per second
  > An ambulance siren at {source_frequency_hz} Hz is coming toward me at {source_speed} m/s{approaching=true}. What frequency do I hear?
  > A train horn sounding at {source_frequency_hz} Hz is moving away{approaching=false} at {source_speed} m/s. What pitch does someone on the platform hear?
  > doppler shift: {source_frequency_hz} Hz source, {source_speed} m/s, approaching: {approaching}
  > In water, where sound travels at {sound_speed} m/s, a {source_frequency_hz} Hz sonar emitter closes in at {source_speed} m/s{approaching=true}. What frequency is received?
  => observed_frequency_hz: num(90,6500,1); shift_hz: num(1,1500,1)
thermo.heat_energy: Compute the heat needed to change the temperature of a mass of material (Q = m c dT)
  mass_kg: number! num(0.1,50,2) | Mass of the material in kilograms
  material: string! pick(water|aluminum|copper|iron|glass|olive oil|granite|ethanol) | Material being heated
  delta_t: number! num(1,90,1) | Temperature change in degrees Celsius
  > How much energy does it take to heat {mass_kg} kg of {material} by {delta_t} °C?
  > heat needed: {mass_kg} kg {material}, ΔT {delta_t} C
  > Calculate the heat required to raise the temperature of {mass_kg} kilograms of {material} by {delta_t} degrees.
  ? How much heat is needed to warm {mass_kg} kg of {material}?
  => heat_joules: num(100,9000000,0); specific_heat_j_per_kg_k: pick(4186|897|385|449|840|2440)
springEnergy: Compute the elastic potential energy and restoring force of a spring using Hooke's law
  spring_constant: number! num(10,5000,1) | Spring constant in newtons per meter
  displacement_m: number! num(0.01,0.5,3) | Compression or extension from the rest length in meters
  > How much energy is stored in a spring with k = {spring_constant} N/m compressed by {displacement_m} m?
  > spring energy k={spring_constant} x={displacement_m}
  > I stretch a {spring_constant} N/m spring by {displacement_m} meters. What's the stored energy and the force?
  => potential_energy_j: num(0.01,600,3); restoring_force_n: num(0.1,2500,2)
buoyant_force: Compute the Archimedes buoyant force on a submerged volume
  volume_m3: number! num(0.001,5,3) | Submerged volume in cubic meters
  fluid: string pick(fresh water|seawater|oil|mercury|glycerin) = fresh water | Fluid the object is immersed in
  > What's the buoyant force on {volume_m3} cubic meters submerged in {fluid}?
  > buoyancy for {volume_m3} m³ displaced
  > A crate displaces {volume_m3} m3 of seawater{fluid=seawater}. How much upward force does it feel?
  => force_newtons: num(10,60000,1); fluid_density_kg_m3: pick(1000|1025|900|13534|1260)

## chemistry
ideal_gas_law: Compute the pressure of an ideal gas from its amount, temperature and volume
  moles: number! num(0.1,10,2) | Amount of gas in moles
  temperature_k: number! num(200,600,1) | Absolute temperature in kelvin
  volume_l: number! num(0.5,100,1) | Container volume in liters
  pressure_unit: enum(atm, kPa, mmHg) = atm | Unit of the returned pressure
  > What's the pressure of {moles} mol of gas at {temperature_k} K in a {volume_l} L container?
  > ideal gas pressure n={moles} T={temperature_k}K V={volume_l}L in {pressure_unit}
  > I have {moles} moles of nitrogen at {temperature_k} kelvin inside {volume_l} liters. Give me the pressure in {pressure_unit}.
  => pressure: num(0.1,80,3)
calculate_ph: Compute the pH of an aqueous solution from its hydrogen or hydroxide ion concentration
  concentration: number! num(0.0001,0.5,4) | Ion concentration in moles per liter
  is_hydroxide: boolean = false | True if the concentration is of OH- ions rather than H+ ions
  temperature_c: number num(0,60,0) = 25 | Solution temperature in degrees Celsius
  > What's the pH of a solution with [H+] = {concentration} M?
  > pH for a hydrogen ion concentration of {concentration} mol/L
  > The hydroxide concentration{is_hydroxide=true} of my solution is {concentration} M. What's its pH?
  > ph calc {concentration} M, hydroxide: {is_hydroxide}
  => ph: num(0.3,13.7,2); classification: pick(acidic|neutral|basic)
chem.solution_molarity: Compute the molarity of a solution made by dissolving a mass of solute in water
  solute: string! pick(NaCl|KCl|glucose|sucrose|NaOH|CuSO4|KNO3|CaCl2) | Name or formula of the dissolved compound
  solute_mass_g: number! num(0.5,250,2) | Mass of solute in grams
  solution_volume_ml: number! num(50,2000,0) | Final volume of the solution in milliliters
  > I dissolve {solute_mass_g} g of {solute} to make {solution_volume_ml} mL of solution. What's the molarity?
  > molarity: {solute_mass_g} g {solute} in {solution_volume_ml} ml
  > What concentration in mol/L do I get from {solute_mass_g} grams of {solute} made up to {solution_volume_ml} milliliters?
  ? What's the molarity if I dissolve {solute_mass_g} g of {solute} in water?
  => molarity_mol_per_l: num(0.01,6,4); moles_solute: num(0.005,5,4)
dilution_calculator: Compute the volume of stock solution needed for a dilution (C1V1 = C2V2)
  stock_concentration: number! num(1,18,1) | Concentration of the stock solution in mol/L
  target_concentration: number! num(0.05,0.9,2) | Desired concentration in mol/L
  final_volume_ml: number! num(50,2000,0) | Desired final volume in milliliters
  > How much {stock_concentration} M stock do I need to make {final_volume_ml} mL of a {target_concentration} M solution?
  > dilute {stock_concentration} M to {target_concentration} M, final volume {final_volume_ml} ml
  > Please work out the dilution: I want {final_volume_ml} milliliters at {target_concentration} mol/L from a {stock_concentration} mol/L stock.
  ? I need {final_volume_ml} mL at {target_concentration} M. How much stock should I use?
  => stock_volume_ml: num(1,900,2); solvent_volume_ml: num(40,1990,2)
balanceChemicalEquation: Balance a chemical equation and return its stoichiometric coefficients
  equation: string! pick(H2 + O2 -> H2O|CH4 + O2 -> CO2 + H2O|Fe + O2 -> Fe2O3|C3H8 + O2 -> CO2 + H2O|Al + HCl -> AlCl3 + H2|N2 + H2 -> NH3|KClO3 -> KCl + O2|C6H12O6 + O2 -> CO2 + H2O) | Unbalanced equation with reactants and products separated by an arrow
  > Balance this equation: {equation}
  > Can you balance {equation} for me?
  > balance {equation}
  ? I need help balancing a chemical equation.
  => coefficients: int(1,6)*; is_redox: bool
lookupCompound: Look up physical and safety data for a chemical compound by its common name
  compound: string! pick(acetone|ethanol|benzene|caffeine|aspirin|sodium bicarbonate|sulfuric acid|ammonia|hydrogen peroxide) | Common name of the compound
  property: enum(all, boiling_point, melting_point, density, solubility, hazards) = all | Which property to return
  > What's the boiling point{property=boiling_point} of {compound}?
  > Tell me about the compound {compound}.
  > {compound} {property}
  > Is {compound} dangerous to handle{property=hazards}?
  => formula: pick(C3H6O|C2H5OH|C6H6|C8H10N4O2|C9H8O4|NaHCO3|H2SO4|NH3|H2O2); boiling_point_c: num(-33,340,1); hazard_class: pick(flammable|corrosive|irritant|toxic|low hazard)
arrhenius_rate: Compute the rate constant of a reaction at a temperature with the Arrhenius equation
  activation_energy_kj: number! num(20,200,1) | Activation energy in kilojoules per mole
  temperature_k: number! num(250,900,1) | Temperature in kelvin
  pre_exponential_factor: number num(1000000,90000000000,0) = 10000000000 | Frequency factor A in reciprocal seconds
  > What's the rate constant for a reaction with Ea = {activation_energy_kj} kJ/mol at {temperature_k} K?
  > arrhenius k, Ea {activation_energy_kj} kJ/mol, T {temperature_k} K, A {pre_exponential_factor} s^-1
  > Using the Arrhenius equation, how fast does a reaction with a {activation_energy_kj} kJ/mol barrier go at {temperature_k} kelvin?
  => rate_constant_per_s: num(0.0001,50000,4)
chem.percent_yield: Compute the percent yield of a reaction from the actual and theoretical yields
  actual_yield_g: number! num(0.5,90,2) | Mass of product actually obtained in grams
  theoretical_yield_g: number! num(91,150,2) | Maximum possible mass of product in grams
  > I got {actual_yield_g} g of product but the theoretical yield was {theoretical_yield_g} g. What's my percent yield?
  > percent yield {actual_yield_g} g / {theoretical_yield_g} g
  > Find the percentage yield when the theoretical amount is {theoretical_yield_g} grams and we recovered {actual_yield_g} grams.
  => percent_yield: num(1,99,2)
grams_to_moles: Convert a mass of a substance to moles using its molar mass
  substance: string! molecule | Chemical formula of the substance
  mass_g: number! num(0.5,500,2) | Mass in grams
  > How many moles are in {mass_g} g of {substance}?
  > {mass_g} grams {substance} to mol
  > Convert {mass_g} g of {substance} into moles, please.
  => moles: num(0.01,30,4); molar_mass_g_per_mol: num(16,342,3)
electronConfiguration: Get the ground-state electron configuration of an element
  element: string! element | Element name
  notation: enum(full, noble_gas) = full | Write out every subshell or abbreviate with the preceding noble gas core
  include_orbital_diagram: boolean = false | Also return an orbital box diagram
  > What's the electron configuration of {element}?
  > {element} electron config, {notation} notation
  > Give me the noble-gas shorthand{notation=noble_gas} configuration for {element}.
  > Show the orbital diagram{include_orbital_diagram=true} and electron configuration of {element}.
  => configuration: pick(1s2 2s2 2p4|[Ar] 3d6 4s2|[He] 2s2 2p2|[Ne] 3s1); valence_electrons: int(1,8)
henderson_hasselbalch: Compute the pH of a buffer from the pKa and the concentrations of the weak acid and its conjugate base
  pka: number! num(2,12,2) | pKa of the weak acid
  acid_concentration: number! num(0.01,1,2) | Weak acid concentration in mol/L
  base_concentration: number! num(0.01,1,2) | Conjugate base concentration in mol/L
  > What's the pH of a buffer with pKa {pka}, {acid_concentration} M acid and {base_concentration} M conjugate base?
  > buffer ph: pKa={pka}, [HA]={acid_concentration}, [A-]={base_concentration}
  > I mixed a weak acid at {acid_concentration} mol/L with its salt at {base_concentration} mol/L; the pKa is {pka}. What pH should I expect?
  ? What's the pH of my buffer if the pKa is {pka}?
  => ph: num(1,13,2); ratio_base_to_acid: num(0.01,100,3)

## astronomy
astro.escape_velocity: Compute the escape velocity from a solar system body
  body: string! pick(Earth|Mars|Jupiter|Venus|Mercury|Saturn|Europa|Ceres|Titan|Pluto) | Name of the planet, moon or dwarf planet
  unit: enum(km/s, m/s, mph) = km/s | Unit of the result
  altitude_km: number num(100,5000,0) = 0 | Height above the surface in kilometers where the escape starts
  > What's the escape velocity of {body}?
  > How fast do you need to go to escape {body} in miles per hour{unit=mph}?
  > escape velocity {body} from {altitude_km} km altitude, in {unit}
  ? What speed do I need to escape a planet's gravity?
  => escape_velocity: num(0.5,60,2); surface_gravity_m_s2: num(0.2,25,2)
getMoonPhase: Get the phase and illumination of the Moon on a given date
  date: string! date | Date as YYYY-MM-DD
  location: string city | City, used to give local moonrise and moonset times
  > Moon phase {date}?
  > What will the moon look like {date}?
  > Will the moon be full over {location} {date}, and when does it rise?
  ? What's the moon phase going to be?
  => phase: pick(new moon|waxing crescent|first quarter|waxing gibbous|full moon|waning gibbous|last quarter|waning crescent); illumination_percent: int(0,100); moonrise: time
find_visible_planets: List the planets visible to the naked eye from a location on a given night
  location: string! city | City of the observer
  date: string date | Night to check as YYYY-MM-DD; tonight if omitted
  min_altitude_deg: number num(5,30,0) = 10 | Only list planets at least this high above the horizon, in degrees
  > Which planets can I see tonight from {location}?
  > visible planets {location} {date}
  > {date}, which planets will be more than {min_altitude_deg} degrees above the horizon from {location}?
  => planets: planet*; best_viewing_time: time
get_iss_passes: Predict upcoming visible passes of the International Space Station over a coordinate
  lat: number! lat | Observer latitude in degrees
  lon: number! lon | Observer longitude in degrees
  passes: integer int(1,10) = 3 | Number of upcoming passes to return
  > When will the ISS pass over {lat}, {lon}?
  > next {passes} ISS flyovers at lat {lat} lon {lon}
  > Can I see the space station from latitude {lat}, longitude {lon} this week?
  => next_pass: date(0,5); rise_time: time; max_elevation_deg: int(10,89); duration_s: int(120,660)
lightTravelTime: Compute how long light takes to travel from the Earth or the Sun to a planet at their average distance
  target: string! planet | Planet the light travels to
  origin: enum(Earth, Sun) = Earth | Where the light starts
  > How long does light take to get from Earth to {target}?
  > light travel time Sun -> {target}{origin=Sun}
  > If I radio a probe orbiting {target}, how many minutes until the signal arrives?
  => minutes: num(3,260,1); distance_au: num(0.3,30.1,2)
get_star_info: Look up catalogue data for a named star
  star: string! pick(Sirius|Betelgeuse|Vega|Polaris|Rigel|Proxima Centauri|Aldebaran|Antares|Canopus|Arcturus) | Common name of the star
  fields: array<string> pick(distance|magnitude|spectral_type|constellation|mass|radius)* | Which facts to return; all of them if omitted
  > Tell me about the star {star}.
  > What's the {fields} of {star}?
  > {star} star info
  => constellation: pick(Canis Major|Orion|Lyra|Ursa Minor|Centaurus|Taurus|Scorpius|Carina|Bootes); distance_ly: num(4.2,860,1); apparent_magnitude: num(-1.5,2.1,2); spectral_type: pick(A1V|M1Ia|A0V|F7Ib|B8Ia|M5.5Ve|K5III)
parallax_to_distance: Compute the distance to a star from its measured annual parallax
  parallax_arcsec: number! num(0.005,0.77,3) | Parallax angle in arcseconds
  unit: enum(parsecs, light_years) = parsecs | Unit for the distance
  > A star has a parallax of {parallax_arcsec} arcseconds. How far away is it?
  > distance from parallax {parallax_arcsec} arcsec in {unit}
  > How many light years{unit=light_years} away is a star with a parallax of {parallax_arcsec} arcsec?
  ? How far away is a star, given its parallax?
  => distance_pc: num(1.3,200,2); distance_ly: num(4.2,650,2)
orbital_period: Compute the orbital period of a body around a star with Kepler's third law
  semi_major_axis_au: number! num(0.05,40,2) | Semi-major axis of the orbit in astronomical units
  star_mass_solar: number num(0.1,10,2) = 1 | Mass of the central star in solar masses
  > How long is a year for a planet orbiting the Sun at {semi_major_axis_au} AU?
  > orbital period, a = {semi_major_axis_au} AU, M = {star_mass_solar} solar masses
  > An exoplanet circles a {star_mass_solar} solar-mass star at {semi_major_axis_au} AU. What's its orbital period?
  => period_years: num(0.01,250,3); period_days: num(4,91000,1)
list_meteor_showers: List the meteor showers that peak in a month, with their expected rates
  month: string! pick(January|April|May|July|August|October|November|December) | Month of the year
  hemisphere: enum(northern, southern) = northern | Observer's hemisphere
  min_zhr: integer int(10,100) = 10 | Minimum zenithal hourly rate, in meteors per hour, to include
  > Are there any meteor showers in {month}?
  > meteor showers {month} {hemisphere} hemisphere
  > Which {month} meteor showers give at least {min_zhr} meteors an hour?
  ? What meteor showers can I catch this year from the {hemisphere} hemisphere?
  => showers: pick(Quadrantids|Lyrids|Eta Aquariids|Perseids|Orionids|Leonids|Geminids)*; peak_date: date(1,300); zhr: int(10,150)
telescopeMagnification: Compute the magnification and true field of view of a telescope with a given eyepiece
  focal_length_mm: number! num(400,3000,0) | Focal length of the telescope in millimeters
  eyepiece_mm: number! num(4,40,0) | Focal length of the eyepiece in millimeters
  barlow: number pick(1|2|3) = 1 | Barlow lens factor, 1 for none
  apparent_fov_deg: number pick(40|52|68|82|100) = 52 | Apparent field of view of the eyepiece in degrees
  > What magnification do I get with a {focal_length_mm} mm telescope and a {eyepiece_mm} mm eyepiece?
  > scope {focal_length_mm}mm + {eyepiece_mm}mm eyepiece + {barlow}x barlow, magnification?
  > My refractor has a focal length of {focal_length_mm} mm. How much does a {eyepiece_mm} mm eyepiece with a {apparent_fov_deg}° apparent field magnify, and what's the true field?
  ? What magnification will a {eyepiece_mm} mm eyepiece give me?
  => magnification: num(10,600,1); true_fov_deg: num(0.08,4,3)
schwarzschild_radius: Compute the event horizon radius of a non-rotating black hole of a given mass
  mass_solar: number! num(3,100,1) | Mass of the black hole in solar masses
  unit: enum(km, m, miles) = km | Unit of the returned radius
  > What's the Schwarzschild radius of a {mass_solar} solar-mass black hole?
  > event horizon size for {mass_solar} M☉ in {unit}
  > How big is the event horizon of a black hole with {mass_solar} times the Sun's mass, in miles{unit=miles}?
  => radius: num(8,300,2)

## electrical_engineering
ohms_law: Solve Ohm's law (V = I R) for voltage, current or resistance from the other two
  solve_for: enum(voltage, current, resistance)! | Quantity to solve for
  voltage: number num(1.5,240,1) | Voltage in volts
  current: number num(0.01,15,2) | Current in amperes
  resistance: number num(1,10000,1) | Resistance in ohms
  > A {resistance} Ω resistor has {voltage} V across it. What current flows through it{solve_for=current}?
  > What voltage drop do I get with {current} A through {resistance} ohms{solve_for=voltage}?
  > ohm's law: {voltage} V, {current} A, find resistance{solve_for=resistance}
  ? I've got {voltage} volts across a resistor; can you help me with Ohm's law?
  => value: num(0.001,5000,3); unit: pick(V|A|ohm)
ee.equivalent_resistance: Compute the equivalent resistance of resistors wired in series or in parallel
  resistances: array<number>! num(10,990,0)* | Resistor values in ohms
  configuration: enum(series, parallel)! | How the resistors are connected
  > What's the total resistance of {resistances} ohm resistors wired in {configuration}?
  > equivalent resistance, {configuration}: {resistances} Ω
  > I've got resistors of {resistances} ohms connected in {configuration}. What's the combined value?
  ? What's the equivalent resistance of {resistances} ohm resistors?
  => equivalent_ohms: num(5,3000,2)
voltage_divider: Compute the output voltage of a two-resistor voltage divider
  vin: number! num(3.3,24,1) | Input voltage in volts
  r1: number! num(100,99000,0) | Top resistor, between input and output, in ohms
  r2: number! num(100,99000,0) | Bottom resistor, between output and ground, in ohms
  load_resistance: number num(1000,1000000,0) | Load across the output in ohms; unloaded if omitted
  > What's the output of a voltage divider with {vin} V in, R1 = {r1} Ω and R2 = {r2} Ω?
  > divider vout: vin {vin}V, r1 {r1}, r2 {r2}
  > Feed {vin} volts into a divider of {r1} ohms over {r2} ohms driving a {load_resistance} ohm load. What's Vout?
  => vout: num(0.1,23,3); divider_current_ma: num(0.01,50,3)
rcTimeConstant: Compute the time constant and cutoff frequency of a resistor-capacitor circuit
  resistance_ohms: number! num(100,999000,0) | Resistance in ohms
  capacitance_uf: number! num(0.01,4700,2) | Capacitance in microfarads
  > What's the time constant of an RC circuit with {resistance_ohms} ohms and {capacitance_uf} µF?
  > rc tau R={resistance_ohms} C={capacitance_uf}uF
  > How long does a {capacitance_uf} microfarad capacitor take to charge through a {resistance_ohms} Ω resistor?
  ? What's the RC time constant if my capacitor is {capacitance_uf} µF?
  => tau_s: num(0.00001,500,5); cutoff_hz: num(0.01,100000,2); time_to_99_percent_s: num(0.0001,2500,4)
led_resistor_calculator: Compute the series resistor needed to drive an LED from a supply voltage
  supply_voltage: number! num(3.3,24,1) | Supply voltage in volts
  led_color: string pick(red|green|blue|white|yellow|amber) = red | LED color, which sets the typical forward voltage
  led_current_ma: number num(5,30,0) = 20 | Desired LED current in milliamps
  > What resistor do I need for a {led_color} LED on {supply_voltage} V?
  > led resistor for {supply_voltage}V supply at {led_current_ma} mA
  > I want to run a {led_color} LED at {led_current_ma} milliamps from a {supply_voltage} volt supply. Which resistor should I use?
  ? What resistor should I put in series with my {led_color} LED?
  => resistor_ohms: num(10,1200,1); nearest_standard_ohms: pick(47|100|150|220|330|470|680|1000); power_mw: num(5,600,1)
recommend_wire_gauge: Recommend a conductor size for a load current and cable length within a voltage-drop limit
  current_amps: number! num(1,100,1) | Load current in amperes
  run_length_m: number! num(1,100,1) | One-way cable length in meters
  voltage: number pick(12|24|48|120|230|400) = 230 | System voltage in volts
  conductor: enum(copper, aluminum) = copper | Conductor material
  max_drop_pct: number num(1,5,1) = 3 | Maximum allowed voltage drop in percent
  > What wire gauge do I need for {current_amps} A over {run_length_m} m?
  > wire size: {current_amps} amps, {run_length_m} m run, {voltage} V, {conductor}
  > I'm running {current_amps} amps over {run_length_m} meters on a {voltage} volt circuit and want no more than {max_drop_pct}% voltage drop. What cable size?
  => awg: int(0,18); cross_section_mm2: pick(1.5|2.5|4|6|10|16|25|35); voltage_drop_pct: num(0.5,3,2)
three_phase_power: Compute the real, apparent and reactive power of a balanced three-phase load
  line_voltage: number! pick(208|400|415|480|690) | Line-to-line voltage in volts
  line_current: number! num(1,500,1) | Line current in amperes
  power_factor: number num(0.7,1,2) = 0.9 | Power factor between 0 and 1
  > How much power does a three-phase motor draw at {line_voltage} V and {line_current} A?
  > 3-phase power {line_voltage}V {line_current}A pf {power_factor}
  > Calculate kW and kVA for a balanced three-phase load: {line_voltage} volts line to line, {line_current} amps per line, power factor {power_factor}.
  => real_power_kw: num(0.5,600,2); apparent_power_kva: num(0.5,650,2); reactive_power_kvar: num(0.1,300,2)
transformerTurnsRatio: Compute the turns ratio, secondary turns and secondary current of an ideal transformer
  primary_voltage: number! num(110,13800,0) | Primary winding voltage in volts
  secondary_voltage: number! num(5,480,1) | Secondary winding voltage in volts
  primary_turns: integer int(100,5000) | Number of turns on the primary winding, to work out the secondary turns
  load_va: number num(10,5000,0) | Load on the secondary in volt-amperes
  > What turns ratio do I need to step {primary_voltage} V down to {secondary_voltage} V?
  > transformer {primary_voltage}V -> {secondary_voltage}V, {primary_turns} primary turns
  > Design a transformer from {primary_voltage} volts to {secondary_voltage} volts feeding a {load_va} VA load.
  => turns_ratio: num(0.5,1000,2); secondary_turns: int(5,2000); secondary_current_a: num(0.05,40,3)
decode_resistor_bands: Decode resistor color bands into a resistance and tolerance
  bands: string! pick(brown-black-red-gold|yellow-violet-orange-gold|red-red-brown-gold|orange-orange-yellow-silver|brown-green-blue-red-brown|green-blue-black-black-brown|brown-black-yellow-gold) | Band colors from left to right, separated by dashes
  > What value is a resistor with bands {bands}?
  > decode resistor colors {bands}
  > I found a resistor marked {bands}. How many ohms is that?
  => resistance_ohms: pick(1000|47000|220|330000|15600|560|100000); tolerance_pct: pick(1|2|5|10)
ee.capacitor_energy: Compute the energy and charge stored in a capacitor at a given voltage
  capacitance_uf: number! num(0.1,10000,1) | Capacitance in microfarads
  voltage: number! num(1,450,1) | Voltage across the capacitor in volts
  > How much energy is stored in a {capacitance_uf} µF capacitor charged to {voltage} V?
  > cap energy {capacitance_uf}uF @ {voltage}V
  > A {capacitance_uf} microfarad capacitor sits at {voltage} volts; what charge and energy does it hold?
  => energy_j: num(0.00001,500,5); charge_c: num(0.000001,4,6)
estimateBatteryLife: Estimate how long a battery can power a constant load
  capacity_mah: integer! int(200,20000) | Battery capacity in milliamp-hours
  load_current_ma: number! num(1,2000,1) | Average current draw in milliamps
  efficiency_pct: number pct(70,95) = 85 | Usable share of the rated capacity in percent
  > How long will a {capacity_mah} mAh battery last at {load_current_ma} mA?
  > battery runtime {capacity_mah}mAh, {load_current_ma}mA draw, {efficiency_pct} efficiency
  > My sensor draws {load_current_ma} milliamps from a {capacity_mah} mAh pack. How many hours do I get?
  ? How long will my battery last if the device pulls {load_current_ma} mA?
  => runtime_hours: num(0.1,9000,1)

## statistics
stats.describe: Compute summary statistics (count, mean, median, standard deviation, minimum and maximum) of a list of numbers
  data: array<number>! num(0.5,500,1)* | Observations to summarise
  sample: boolean = true | Use the sample (n - 1) standard deviation instead of the population one
  round_to: integer int(0,4) = 2 | Number of decimal places in the results
  > Give me the summary statistics for {data}.
  > describe {data}, rounded to {round_to} decimals
  > I measured {data}. Can you summarise these numbers, treating them as the whole population{sample=false}?
  => count: int(2,3); mean: num(1,500,2); median: num(1,500,2); std_dev: num(0.1,150,2); min: num(0.5,250,1); max: num(250,500,1)
getZScore: Convert a raw score into a z-score given the mean and standard deviation of its distribution
  value: number! num(20,180,1) | Raw observation to standardise
  mean: number! num(40,140,1) | Mean of the distribution
  std_dev: number! num(2,25,1) | Standard deviation of the distribution
  > What's the z-score of {value} if the mean is {mean} and the standard deviation is {std_dev}?
  > z score: x={value}, mu={mean}, sigma={std_dev}
  > I scored {value} on the exam; the class averaged {mean} with a standard deviation of {std_dev}. How many standard deviations from the average am I?
  ? How many standard deviations from the mean is a score of {value}?
  => z_score: num(-3,3,2); percentile: num(0.1,99.9,1)
stats.t_test: Run a two-sample t-test comparing the means of two independent groups
  group_a: array<number>! num(10,90,1)* | Measurements from the first group
  group_b: array<number>! num(10,90,1)* | Measurements from the second group
  equal_variance: boolean = false | Assume equal variances (Student's t-test) instead of Welch's test
  alternative: enum(two-sided, less, greater) = two-sided | Alternative hypothesis about the mean of group A relative to group B
  alpha: number pick(0.01|0.05|0.1) = 0.05 | Significance level
  > Is there a significant difference between {group_a} and {group_b}? Use a t-test.
  > t-test group A {group_a} vs group B {group_b}, alpha {alpha}
  > Run a Student's t-test with pooled variance{equal_variance=true} on {group_a} versus {group_b}.
  > One-sided test{alternative=greater}: is the mean of {group_a} greater than the mean of {group_b}?
  ? Compare the control group {group_a} with the treatment group using a t-test.
  => t_statistic: num(-4,4,3); p_value: num(0.001,0.9,4); degrees_of_freedom: num(1,4,2); significant: bool
stats.correlation: Compute the correlation coefficient between two numeric columns of a data file
  dataset: string! pick(survey-2024.csv|sales.csv|housing.csv|patients.csv|weather-log.csv|students.csv|fleet.csv) | Name of the data file
  column_x: string! pick(age|income|height|weight|temperature|price|rainfall|sleep|exercise) | First column
  column_y: string! pick(age|income|height|weight|temperature|price|rainfall|sleep|exercise) | Second column
  method: enum(pearson, spearman, kendall) = pearson | Correlation measure
  > What's the correlation between {column_x} and {column_y} in {dataset}?
  > corr {column_x} vs {column_y}, {dataset}, {method}
  > Using Spearman's rank correlation{method=spearman}, how strongly are {column_x} and {column_y} related in {dataset}?
  => coefficient: num(-1,1,3); p_value: num(0.0001,0.5,4); n: int(30,5000)
fit_linear_regression: Fit an ordinary least-squares regression of a target column on one or more predictor columns of a data file
  dataset: string! pick(survey-2024.csv|sales.csv|housing.csv|patients.csv|crops.csv|students.csv|fleet.csv) | Name of the data file
  target: string! pick(price|sales|yield|score|revenue|rent) | Column to predict
  predictors: array<string>! pick(age|income|rooms|temperature|advertising|distance|experience)* | Predictor columns
  include_intercept: boolean = true | Fit an intercept term
  > Fit a linear regression of {target} on {predictors} using {dataset}.
  > regress {target} ~ {predictors} in {dataset}
  > Using the data in {dataset}, how well do {predictors} predict {target}? Force the line through the origin{include_intercept=false}.
  => r_squared: num(0.05,0.98,3); intercept: num(-50,200,2); rmse: num(0.5,40,2)
stats.confidence_interval: Confidence interval for a population mean from a sample mean, standard deviation and sample size
  sample_mean: number! num(10,500,2) | Mean of the sample
  std_dev: number! num(1,60,2) | Sample standard deviation
  n: integer! num(5,400,0) | Sample size
  confidence: integer pick(90|95|99) = 95 | Confidence level in percent
  > Give me the {confidence}% confidence interval for a mean of {sample_mean} with standard deviation {std_dev} and n = {n}.
  > CI for the mean: xbar {sample_mean}, s {std_dev}, n {n}
  > We surveyed {n} households; average weekly spending was {sample_mean} with a standard deviation of {std_dev}. What's the 99%{confidence=99} interval for the true mean?
  ? What's the 95%{confidence=95} confidence interval if the sample mean is {sample_mean}?
  => lower: num(5,250,2); upper: num(250,520,2); margin_of_error: num(0.1,20,2)
requiredSampleSize: Minimum sample size needed to estimate a proportion within a given margin of error
  margin_of_error: number! pick(1|2|3|4|5) | Margin of error in percentage points, e.g. 3 for plus or minus 3%
  confidence: integer pick(90|95|99) = 95 | Confidence level in percent
  expected_proportion: number num(0.1,0.9,2) = 0.5 | Anticipated proportion as a decimal
  population_size: integer int(500,2000000) | Finite population size, if known
  > How many people do I need to survey for a {margin_of_error}% margin of error at {confidence}% confidence?
  > sample size, moe {margin_of_error}%, population {population_size}
  > What sample size gives a margin of error of {margin_of_error} points if I expect about {expected_proportion} of respondents to say yes?
  => sample_size: int(100,10000)
stats.chi2_goodness_of_fit: Chi-square goodness-of-fit test of observed category counts against expected proportions, uniform unless given
  observed: array<integer>! int(5,120)* | Observed count in each category
  expected_proportions: array<number> | Expected share of each category as decimals summing to 1; uniform if omitted
  alpha: number pick(0.01|0.05|0.1) = 0.05 | Significance level
  > Observed counts per category: {observed}. Run a chi-square goodness-of-fit test against equal proportions.
  > chi-square test on {observed} at alpha {alpha}
  > Customers picked each of our flavours {observed} times respectively. Is that a real preference or could it be chance?
  => chi_square: num(0.1,30,3); p_value: num(0.0001,0.9,4); degrees_of_freedom: int(1,2)
calc_percentile: Value at a given percentile of a list of numbers
  data: array<number>! num(1,300,1)* | The numbers
  percentile: number! pick(5|10|25|50|75|90|95|99) | Percentile to compute, from 0 to 100
  interpolation: enum(linear, lower, higher, nearest, midpoint) = linear | How to interpolate between data points
  > What's the {percentile}th percentile of {data}?
  > p{percentile} of {data}, nearest-rank{interpolation=nearest}
  > Find the value below which {percentile}% of these readings fall: {data}.
  => value: num(1,300,2)
find_outliers: Flag outliers in one column of a data file using the IQR rule, z-scores or the median absolute deviation
  dataset: string! pick(sensor-readings.csv|transactions.csv|lab-results.csv|orders.csv|server-latency.csv) | Name of the data file
  column: string! pick(amount|latency_ms|temperature|glucose|weight|duration) | Column to check
  method: enum(iqr, zscore, mad) = iqr | Detection rule
  threshold: number pick(1.5|2|2.5|3) = 1.5 | IQR multiplier, or cut-off in standard deviations for zscore and mad
  > Find outliers in the {column} column of {dataset}.
  > outliers {dataset} {column}, z-score{method=zscore} above {threshold}
  > Which rows of {dataset} have unusual {column} values? Use the IQR rule with a multiplier of {threshold}.
  ? Are there any outliers in {dataset}?
  => outlier_count: int(0,40); lower_fence: num(-10,50,2); upper_fence: num(60,900,2)
stats.moving_average: Smooth one column of a time-series data file with a simple or exponential moving average
  dataset: string! pick(daily-sales.csv|web-traffic.csv|temperatures.csv|energy-use.csv|signups.csv) | Name of the data file
  column: string! pick(visits|revenue|temp|kwh|signups|orders) | Column to smooth
  window: integer! num(3,60,0) | Number of periods in each average
  kind: enum(simple, exponential) = simple | Type of moving average
  > Compute a {window}-day moving average of {column} in {dataset}.
  > rolling mean {dataset} {column} window {window}
  > Smooth {column} from {dataset} with an exponential{kind=exponential} moving average over {window} periods.
  => points: int(30,1000); last_value: num(10,5000,2)

## algebra
find_roots: Find the real roots of a single-variable function set equal to zero
  expression: string! pick(x**3 - 6*x**2 + 11*x - 6|x**2 - 7*x + 10|2*x**3 + x**2 - 5*x + 2|x**4 - 5*x**2 + 4|cos(x) - x|exp(x) - 3*x|x**3 - 2*x - 5) | Function of x in Python syntax whose zeros are wanted
  interval_start: number num(-10,0,1) | Lower end of the search interval
  interval_end: number num(0.5,10,1) | Upper end of the search interval
  > Find all real roots of {expression} = 0.
  > Solve {expression} = 0 for x between {interval_start} and {interval_end}.
  > roots of {expression}
  ? Can you solve an equation for x for me?
  => roots: num(-5,5,3)*
calculus.derivative: Differentiate a function of x symbolically and optionally evaluate the derivative at a point
  expression: string! pick(x**3 + 2*x|sin(x)*cos(x)|exp(2*x)|log(x)/x|x**2*exp(-x)|sqrt(1 + x**2)|tan(x)) | Function of x to differentiate, in Python syntax
  order: integer pick(1|2|3) = 1 | Order of the derivative: 1 for the first, 2 for the second
  at: number num(0.5,3,1) | Value of x at which to evaluate the derivative; omit for the symbolic result
  > What's the derivative of {expression}?
  > d/dx {expression} at x = {at}
  > Take the second derivative{order=2} of {expression}.
  > Compute the derivative of order {order} of {expression} and evaluate it at x = {at}.
  => derivative: pick(3*x**2 + 2|cos(2*x)|2*exp(2*x)|(1 - log(x))/x**2); value: num(-20,20,4)
calculus.definite_integral: Evaluate the definite integral of a function of x between two limits
  expression: string! pick(x**2|sin(x)|exp(-x**2)|1/(1 + x**2)|x*log(x)|sqrt(x)|cos(x)**2) | Integrand in Python syntax
  lower: number! num(0,2,1) | Lower limit of integration
  upper: number! num(2.5,6,1) | Upper limit of integration
  method: enum(exact, simpson, trapezoid, gauss) = exact | Symbolic result or a numerical rule
  > Integrate {expression} from {lower} to {upper}.
  > ∫ {expression} dx from {lower} to {upper}
  > What's the area under {expression} between x = {lower} and x = {upper}? A numerical answer with Simpson's rule{method=simpson} is fine.
  => value: num(0.1,60,4)
calcLimit: Evaluate the limit of a function of x as x approaches a value or infinity
  expression: string! pick(sin(x)/x|(1 - cos(x))/x**2|(x**2 - 4)/(x - 2)|(exp(x) - 1)/x|(1 + 1/x)**x|x*sin(1/x)|abs(x)/x) | Function of x in Python syntax
  point: string! pick(0|1|2|infinity|-infinity) | Value that x approaches, or 'infinity' / '-infinity'
  direction: enum(both, left, right) = both | Two-sided limit or a one-sided limit from the left or right
  > What's the limit of {expression} as x approaches {point}?
  > lim x->{point} of {expression}
  > Evaluate the right-hand{direction=right} limit of {expression} as x goes to {point}.
  ? What's the limit of {expression}?
  => limit: pick(1|0.5|4|e|0|does not exist)
factorize_integer: Break a positive integer into its prime factors with their multiplicities
  n: integer! int(12,99999) | Integer to factor, at least 2
  > What are the prime factors of {n}?
  > prime factorization of {n}
  > Break {n} down into a product of primes, please.
  => factors: int(2,97)*; is_prime: bool
nt.mod_pow: Compute a base raised to an exponent modulo a modulus, fast even for huge exponents
  base: integer! num(2,999,0) | The base
  exponent: integer! pick(17|360|2024|65537|99991|123456|1000003) | Non-negative exponent
  modulus: integer! num(2,997,0) | Positive modulus
  > What is {base}^{exponent} mod {modulus}?
  > pow({base}, {exponent}, {modulus})
  > Compute {base} to the power of {exponent}, reduced modulo {modulus}.
  => result: int(0,996)
fibonacci_terms: List the first n terms of the Fibonacci sequence, or of a Fibonacci-style sequence with custom starting values
  n: integer! num(3,40,0) | Number of terms to return
  first: integer int(0,5) = 0 | First term of the sequence
  second: integer int(1,7) = 1 | Second term of the sequence
  > List the first {n} Fibonacci numbers.
  > fibonacci n={n}
  > Generate {n} terms of a Fibonacci-style sequence that starts with {first} and {second}.
  => terms: int(0,5000)*; last_term: int(100,100000)
convertPressure: Convert a pressure reading between units
  value: number! num(0.1,5000,2) | Pressure value to convert
  from_unit: enum(Pa, kPa, MPa, bar, atm, psi, mmHg, inHg)! | Unit of the value
  to_unit: enum(Pa, kPa, MPa, bar, atm, psi, mmHg, inHg)! | Unit to convert to
  > Convert {value} {from_unit} to {to_unit}.
  > How many {to_unit} is {value} {from_unit}?
  > My gauge reads {value} {from_unit}. What is that in {to_unit}?
  ? I have a pressure reading of {value} {from_unit} that I need in different units.
  => converted_value: num(0.001,50000,4)
convert_energy: Convert an amount of energy between units such as joules, calories, electronvolts and kilowatt-hours
  amount: number! num(0.01,10000,3) | Amount of energy
  from_unit: enum(J, kJ, cal, kcal, eV, kWh, BTU, erg)! | Unit of the amount
  to_unit: enum(J, kJ, cal, kcal, eV, kWh, BTU, erg)! | Unit to convert to
  precision: integer int(2,8) = 6 | Significant figures in the result
  > Convert {amount} {from_unit} into {to_unit}.
  > {amount} {from_unit} -> {to_unit}
  > How much is {amount} {from_unit} expressed in {to_unit}? Give me {precision} significant figures.
  => converted_amount: num(0.001,99999,4); scientific_notation: pick(4.184e3|2.7778e-4|6.2415e18|3.412e3)
algebra.simplify: Simplify, expand or factor an algebraic expression symbolically
  expression: string! pick((x + 2)**2 - 4|x**2 - 9|(x**2 - 1)/(x - 1)|(a + b)**3|sin(x)**2 + cos(x)**2|2*x*(x + 3) - x**2|x**3 - 8) | Expression in Python syntax
  operation: enum(simplify, expand, factor) = simplify | What to do with the expression
  > Simplify {expression}.
  > expand {expression}{operation=expand}
  > Can you factor{operation=factor} {expression} for me?
  > {operation}: {expression}
  => result: pick(x**2 + 4*x|(x - 3)*(x + 3)|x + 1|a**3 + 3*a**2*b + 3*a*b**2 + b**3|1|x**2 + 6*x)
convert_to_base: Write a non-negative decimal integer in another base between 2 and 36
  number: integer! int(10,65535) | Decimal integer to convert
  base: integer! pick(2|3|5|8|12|16|36) | Target base
  uppercase: boolean = true | Use upper-case letters for digits above 9
  > Convert {number} to base {base}.
  > {number} in binary{base=2}
  > What's {number} written in hexadecimal{base=16}, with lowercase letters{uppercase=false}?
  => digits: pick(101010|7F|1750|zz|2A|11111111)

## probability
prob.binomial: Binomial probability of k successes in n independent trials with the same success probability
  n: integer! num(10,200,0) | Number of trials
  k: integer! num(0,10,0) | Number of successes
  p: number! num(0.01,0.99,2) | Probability of success on each trial, as a decimal
  mode: enum(exactly, at_most, at_least) = exactly | Whether to return P(X = k), P(X <= k) or P(X >= k)
  > If I flip a biased coin {n} times and heads comes up with probability {p}, what's the chance of exactly {k} heads?
  > binomial P(X={k}), n={n}, p={p}
  > What's the probability of at least{mode=at_least} {k} successes in {n} trials when each succeeds with probability {p}?
  > A machine makes a defective part with probability {p}. In a batch of {n}, what are the odds of at most{mode=at_most} {k} defective parts?
  ? What are the chances of exactly {k} successes if each trial succeeds with probability {p}?
  => probability: num(0.0001,0.99,5); mean: num(0.5,100,2)
poisson_probability: Probability of observing k events in an interval under a Poisson distribution
  rate: number! num(0.5,20,1) | Average number of events per interval (lambda)
  k: integer! num(0,30,0) | Number of events
  cumulative: boolean = false | Return P(X <= k) instead of P(X = k)
  > A call centre gets {rate} calls per minute on average. What's the probability of exactly {k} calls in a given minute?
  > poisson lambda={rate} k={k}
  > Events happen at a mean rate of {rate} per hour. What's the probability of {k} or fewer{cumulative=true} in an hour?
  => probability: num(0.0001,0.5,5)
normalProbability: Probability that a normally distributed variable falls below, above or between given bounds
  mean: number! num(50,200,1) | Mean of the distribution
  std_dev: number! num(2,30,1) | Standard deviation of the distribution
  lower: number num(20,120,1) | Lower bound; omit for no lower bound
  upper: number num(121,250,1) | Upper bound; omit for no upper bound
  > Heights are normally distributed with mean {mean} cm and standard deviation {std_dev} cm. What fraction of people are between {lower} and {upper} cm?
  > P(X < {upper}) for X ~ N(mean {mean}, sd {std_dev})
  > normal distribution mean {mean} sd {std_dev}: probability of a value above {lower}
  => probability: num(0.001,0.999,4)
count_combinations: Number of ways to choose r items from n when order does not matter, optionally with repetition
  n: integer! num(10,60,0) | Number of items to choose from
  r: integer! num(2,9,0) | Number of items chosen
  repetition: boolean = false | Allow the same item to be chosen more than once
  > How many ways can I choose {r} items from {n}?
  > {n} choose {r}
  > How many different {r}-scoop ice cream cups can be made from {n} flavours if flavours can repeat{repetition=true}?
  > A committee of {r} is picked from {n} people. How many possible committees are there?
  => combinations: int(45,1000000)
prob.permutations: Number of ordered arrangements of r items taken from n distinct items
  n: integer! num(5,30,0) | Number of distinct items
  r: integer! num(2,5,0) | Number of positions to fill
  > In a race with {n} runners, how many ways can the top {r} places be filled?
  > permutations of {n} taken {r} at a time
  > nPr with n={n}, r={r}
  => permutations: int(20,1000000)
expectedValueOfBet: Expected profit of a bet from the stake, the chance of winning and the decimal odds
  stake: number! money(5,500) | Amount wagered
  win_probability: number! num(0.05,0.9,2) | Estimated chance of winning, as a decimal
  decimal_odds: number! num(1.2,12,2) | Decimal odds: total return per unit staked if the bet wins
  > I'm betting ${stake} at decimal odds of {decimal_odds} and I think I have a {win_probability} chance of winning. What's my expected value?
  > EV of a {stake} bet, odds {decimal_odds}, p(win) {win_probability}
  > Is it worth staking {stake} on a horse at {decimal_odds} if it wins with probability {win_probability}?
  ? Is a bet at odds of {decimal_odds} worth taking?
  => expected_value: num(-100,100,2); break_even_probability: num(0.08,0.83,3)
bayes_posterior: Posterior probability of a condition after a positive test, from the prior, the sensitivity and the false positive rate (Bayes' theorem)
  prior: number! num(0.001,0.2,3) | Base rate of the condition before testing, as a decimal
  sensitivity: number! num(0.7,0.99,2) | Probability of a positive result when the condition is present, as a decimal
  false_positive_rate: number! num(0.01,0.15,2) | Probability of a positive result when the condition is absent, as a decimal
  > A disease has a prevalence of {prior}. The test has sensitivity {sensitivity} and a false positive rate of {false_positive_rate}. If I test positive, how likely is it that I have the disease?
  > bayes: prior {prior}, sensitivity {sensitivity}, FPR {false_positive_rate}
  > The share of spam in our inbox is {prior}. The filter flags spam with probability {sensitivity} and legitimate mail with probability {false_positive_rate}. What's P(spam | flagged)?
  ? My test came back positive, and the test has a sensitivity of {sensitivity}. What are the chances I actually have the condition?
  => posterior: num(0.01,0.95,4)
shared_birthday_probability: Probability that at least two people in a group share a birthday
  group_size: integer! num(2,100,0) | Number of people in the group
  days_in_year: integer pick(365|366) = 365 | Number of equally likely birthdays
  > In a room of {group_size} people, what's the chance that two share a birthday?
  > birthday problem, n={group_size}
  > What's the probability that at least two of {group_size} people share a birthday, assuming a 366-day{days_in_year=366} year?
  => probability: num(0.003,0.9999,4)
dice_probability: Probability that the total of several fair dice equals, reaches or stays under a target
  num_dice: integer! num(2,6,0) | Number of dice rolled
  sides: integer pick(4|6|8|10|12|20) = 6 | Faces on each die
  target: integer! num(3,20,0) | Target total
  comparison: enum(exactly, at_least, at_most) = exactly | Whether the total must equal, reach or not exceed the target
  > What's the chance of rolling a total of {target} with {num_dice} dice?
  > P(sum = {target}) for {num_dice}d{sides}
  > If I roll {num_dice} {sides}-sided dice, how likely is a total of at least{comparison=at_least} {target}?
  ? What are the odds of rolling a {target}?
  => probability: num(0.0001,0.9,5); ways: int(1,500)
prob.hypergeometric: Probability of k successes when drawing without replacement from a finite population
  population: integer! num(20,100,0) | Total items in the population, e.g. 52 cards
  successes: integer! num(2,13,0) | Items in the population that count as successes
  draws: integer! num(2,10,0) | Items drawn without replacement
  k: integer! num(0,4,0) | Number of successes wanted among the draws
  > From a deck of {population} cards that contains {successes} hearts, I draw {draws} without replacement. What's the probability of exactly {k} hearts?
  > hypergeometric N={population} K={successes} n={draws} k={k}
  > An urn holds {population} balls, {successes} of them red. If I draw {draws}, how likely is it that exactly {k} of them are red?
  => probability: num(0.0001,0.6,5)
prob.geometric: Probability that the first success comes on trial k, or within the first k trials
  p: number! num(0.02,0.6,2) | Probability of success on each trial, as a decimal
  k: integer! num(1,20,0) | Trial number
  within: boolean = false | Return the probability of a first success on or before trial k
  > Each free throw goes in with probability {p}. What's the chance the first make comes on attempt {k}?
  > geometric p={p}, k={k}
  > If each scratch card wins with probability {p}, what's the chance of winning at least once within{within=true} {k} cards?
  => probability: num(0.001,0.9,5)

## investing
annuity_future_value: Future value of a series of equal regular contributions earning a fixed annual return
  payment: number! money(50,2000) | Amount contributed each period
  annual_rate: number! pct(2,10) | Expected annual return in percent
  years: integer! int(2,40) | Number of years of contributions
  payments_per_year: integer pick(1|4|12|26) = 12 | Contributions per year
  timing: enum(end, beginning) = end | Whether each payment is made at the end or the beginning of its period
  > If I save ${payment} a month{payments_per_year=12} at {annual_rate} a year for {years} years, how much will I have?
  > FV of annuity: {payment} per period, {annual_rate}, {years} yrs, payments per year: {payments_per_year}
  > I deposit {payment} at the start{timing=beginning} of every year{payments_per_year=1} into an account earning {annual_rate}. What's the balance after {years} years?
  ? I'm putting away {payment} every month{payments_per_year=12}. What will it grow to?
  => future_value: money(1000,900000); total_contributed: money(600,500000); interest_earned: money(100,400000)
pv: Present value of a single future amount discounted at a fixed annual rate
  future_value: number! money(1000,1000000) | Amount to be received in the future
  rate: number! num(0.01,0.12,3) | Annual discount rate as a decimal, e.g. 0.05 for 5%
  years: number! num(2,30,1) | Years until the amount is received
  compounding: enum(annual, semiannual, quarterly, monthly, continuous) = annual | How often the rate compounds
  > What's {future_value} received in {years} years worth today at a discount rate of {rate}?
  > pv fv={future_value} r={rate} t={years}
  > How much do I need to invest now at a rate of {rate} compounded monthly{compounding=monthly} to have {future_value} in {years} years?
  => present_value: money(500,900000)
npv: Net present value of an investment from its upfront cost and expected yearly cash flows
  initial_investment: number! money(1000,500000) | Upfront cost at time zero, as a positive number
  cash_flows: array<number>! money(500,200000)* | Expected cash flow at the end of each year, in order
  discount_rate: number! pct(3,15) | Discount rate in percent
  > A project costs {initial_investment} up front and returns {cash_flows} over the next few years. What's the NPV at {discount_rate}?
  > npv: cost {initial_investment}, flows {cash_flows}, rate {discount_rate}
  > Should I invest {initial_investment} for yearly cash flows of {cash_flows} if my hurdle rate is {discount_rate}?
  ? What's the net present value of cash flows of {cash_flows}?
  => npv: money(-50000,200000); profitability_index: num(0.6,2.5,2)
calculate_irr: Internal rate of return of an investment: the discount rate at which its net present value is zero
  initial_investment: number! money(1000,500000) | Upfront cost at time zero, as a positive number
  cash_flows: array<number>! money(500,200000)* | Cash flow at the end of each year, in order
  guess: number num(0.05,0.2,2) = 0.1 | Starting guess for the solver, as a decimal
  > What's the IRR if I put in {initial_investment} and get back {cash_flows}?
  > irr: -{initial_investment}, then {cash_flows}
  > Calculate the internal rate of return for an outlay of {initial_investment} followed by yearly inflows of {cash_flows}; start the solver at {guess}.
  => irr_percent: num(-10,45,2)
calculateDepreciation: Yearly depreciation schedule of an asset by the straight-line, double-declining-balance or sum-of-years'-digits method
  cost: number! money(1000,250000) | Purchase cost of the asset
  salvage_value: number! money(0,5000) | Estimated value at the end of its useful life
  useful_life_years: integer! int(3,20) | Useful life in years
  method: enum(straight_line, double_declining, sum_of_years) = straight_line | Depreciation method
  > We bought a delivery van for {cost}; it should be worth {salvage_value} after {useful_life_years} years. What's the yearly straight-line{method=straight_line} depreciation?
  > Double-declining-balance{method=double_declining} depreciation for an asset costing {cost}, salvage value {salvage_value}, life of {useful_life_years} years
  > depreciation schedule, cost {cost}, salvage {salvage_value}, {useful_life_years} yrs
  ? How much does my {cost} machine depreciate each year?
  => annual_depreciation: money(100,40000); book_value_after_year_1: money(800,240000)
invest.cagr: Compound annual growth rate between a starting and an ending value
  start_value: number! money(1000,200000) | Value at the start
  end_value: number! money(1000,400000) | Value at the end
  years: number! num(2,25,1) | Length of the period in years
  > My portfolio went from {start_value} to {end_value} over {years} years. What's the annualised return?
  > CAGR {start_value} -> {end_value}, {years} yrs
  > Revenue grew from {start_value} to {end_value} in {years} years; what's the compound annual growth rate?
  => cagr_percent: num(-15,40,2)
adjust_for_inflation: Restate an amount in future or present-day money using an average annual inflation rate
  amount: number! money(100,100000) | Amount of money
  inflation_rate: number! pct(1,8) | Average annual inflation in percent
  years: integer! int(2,40) | Number of years
  direction: enum(to_future, to_present) = to_future | to_future: what today's amount will cost later; to_present: what a future amount is worth in today's money
  > With {inflation_rate} inflation, what will {amount} of today's spending cost in {years} years?
  > I'll receive {amount} in {years} years. What's that worth in today's money{direction=to_present} if inflation averages {inflation_rate}?
  > inflation adjust {amount}, {inflation_rate}/yr, {years} years
  => adjusted_amount: money(100,300000); cumulative_inflation_percent: num(2,300,1)
project_retirement_savings: Project retirement savings at a target age from current savings, monthly contributions and an expected return
  current_age: integer! int(20,59) | Current age in years
  retirement_age: integer! int(60,70) | Age at retirement
  current_savings: number! money(0,500000) | Amount saved so far
  monthly_contribution: number! money(50,3000) | Amount added each month
  expected_return: number pct(3,9) = 6 | Expected annual return in percent
  inflation_adjusted: boolean = false | Report the result in today's money
  > I'm {current_age} with {current_savings} saved and I put in {monthly_contribution} a month. How much will I have at {retirement_age}?
  > retirement projection: age {current_age} to {retirement_age}, balance {current_savings}, {monthly_contribution}/month, {expected_return} return
  > Show my nest egg at {retirement_age} in today's dollars{inflation_adjusted=true}: I'm {current_age}, have {current_savings} and add {monthly_contribution} monthly.
  ? How much will I have when I retire if I save {monthly_contribution} a month?
  => projected_balance: money(50000,5000000); total_contributions: money(10000,1500000); safe_monthly_income: money(200,20000)
bond.price: Price of a fixed-coupon bond from its face value, coupon rate, yield to maturity and term
  face_value: number pick(100|1000|5000) = 1000 | Face (par) value repaid at maturity
  coupon_rate: number! pct(1,8) | Annual coupon rate in percent of face value
  ytm: number! pct(1,9) | Yield to maturity in percent per year
  years_to_maturity: number! num(0.5,30,1) | Years until the bond matures
  payments_per_year: integer pick(1|2|4) = 2 | Coupon payments per year
  > What's the price of a bond with a {coupon_rate} coupon maturing in {years_to_maturity} years if the yield is {ytm}?
  > bond price: face {face_value}, coupon {coupon_rate}, YTM {ytm}, {years_to_maturity} years, annual coupons{payments_per_year=1}
  > How much should I pay for a bond with a face value of {face_value} paying {coupon_rate} semi-annually{payments_per_year=2} that matures in {years_to_maturity} years, given market yields of {ytm}?
  => price: num(70,5500,2); current_yield_percent: num(0.5,9,3); duration_years: num(0.5,20,2)
bond.yield_to_maturity: Annual yield to maturity of a fixed-coupon bond bought at a given price
  price: number! num(800,1200,2) | Price paid per 1,000 of face value
  coupon_rate: number! pct(1,8) | Annual coupon rate in percent of face value
  years_to_maturity: number! num(1,30,1) | Years until the bond matures
  face_value: number = 1000 | Face (par) value repaid at maturity
  payments_per_year: integer pick(1|2) = 2 | Coupon payments per year
  > A bond with {years_to_maturity} years left and a {coupon_rate} coupon trades at {price} per 1,000 of face value. What's its yield to maturity?
  > ytm: price {price}, coupon {coupon_rate}, {years_to_maturity}y, annual pay{payments_per_year=1}
  > I can buy a {coupon_rate} coupon bond for {price}; it matures in {years_to_maturity} years. What annual yield would I earn if I hold it to maturity?
  => ytm_percent: num(0.5,10,3); current_yield_percent: num(0.5,9,3)
estimate_capital_gains_tax: Estimate US federal tax on the sale of an investment, using short- or long-term rates depending on the holding period
  purchase_price: number! money(500,200000) | Cost basis including fees
  sale_price: number! money(500,300000) | Proceeds of the sale
  holding_period_months: integer! int(2,120) | How long the investment was held, in months
  annual_income: number money(20000,400000) | Taxable income for the year, excluding the gain
  filing_status: enum(single, married_joint, head_of_household) = single | Tax filing status
  > I bought shares for {purchase_price} and sold them for {sale_price} after {holding_period_months} months. How much capital gains tax do I owe?
  > cap gains tax: basis {purchase_price}, sold {sale_price}, held {holding_period_months} months, income {annual_income}
  > We file jointly{filing_status=married_joint}, earn {annual_income} a year, and sold stock for {sale_price} that cost {purchase_price} {holding_period_months} months ago. What's the estimated tax?
  ? I sold some stock for {sale_price}. What's the tax?
  => gain: money(0,100000); term: pick(short-term|long-term); tax_rate_percent: pick(0|15|20|22|24|32); estimated_tax: money(0,30000)

## biology
get_species_info: Look up the taxonomy, habitat and conservation status of a species by its scientific name
  scientific_name: string! pick(Panthera leo|Ailuropoda melanoleuca|Apis mellifera|Quercus robur|Danaus plexippus|Gorilla beringei|Orcinus orca|Bubo bubo|Dendrobates tinctorius) | Binomial Latin name of the species, e.g. Panthera leo
  include_subspecies: boolean = false | Also list the recognised subspecies
  > What can you tell me about {scientific_name}?
  > species info: {scientific_name}
  > Look up {scientific_name} and list its subspecies{include_subspecies=true} too.
  > Which family does {scientific_name} belong to, and is it endangered?
  ? Can you look up a species for me?
  => iucn_status: pick(Least Concern|Near Threatened|Vulnerable|Endangered|Critically Endangered); population_trend: pick(increasing|stable|decreasing|unknown); year_described: year(1758,1900)
genetics.dna_to_protein: Translate a DNA coding sequence into its amino-acid sequence using the standard genetic code
  sequence: string! pick(ATGGCCATTGTAATGGGCCGCTGA|ATGAAACGCATTAGCACCACCTAA|ATGTCTGAAGGTCCAGTTTAA|ATGCGTACGTTAGCATGA|ATGGGTCTCACCTGA|ATGCCCGGGTTTAAACCCTAG|ATGGATCCAGAATTCTGA) | DNA sequence read 5' to 3', in the letters A, C, G and T
  reading_frame: integer pick(1|2|3) = 1 | Reading frame to translate in: 1, 2 or 3
  stop_at_stop_codon: boolean = true | Stop at the first stop codon instead of translating the whole sequence
  > Translate {sequence} into a protein sequence.
  > What amino acids does the DNA {sequence} code for?
  > dna to protein {sequence} frame {reading_frame}
  > Translate {sequence} all the way through, ignoring stop codons{stop_at_stop_codon=false}.
  ? I have a DNA sequence I'd like translated into amino acids.
  => protein: pick(MAIVMGR|MKRISTT|MSEGPV|MRTLA|MGLT|MPGFKP|MDPEF); length_aa: int(4,8)
gc_content: Compute the percentage of guanine and cytosine bases in a DNA or RNA sequence
  sequence: string! pick(ATGCGTACGTTAGC|GGCCGCTAGCTTAA|ATATTTAAGCGCAT|CCGGGCGCATGCAA|TTAGGCATCGATCG|AUGGCCAUUGUAAUG|GATTACAGATTACA) | Nucleotide sequence in A, C, G and T (or U for RNA)
  window: integer pick(5|10|20) | Also report the GC content in sliding windows of this many bases
  > What's the GC content of {sequence}?
  > gc% {sequence}
  > Calculate the GC percentage of {sequence} in windows of {window} bases.
  => gc_percent: num(20,75,1); length: int(14,15)
seq.reverse_complement: Return the reverse complement of a DNA or RNA strand
  sequence: string! pick(ATGCGTACGTTAGC|GAATTCGGATCC|TTAGGCATCGATCG|CCGGGCGCATGCAA|AGCTTGCAAGCT|ATGAAACGCATTAGC) | Nucleotide sequence, written 5' to 3'
  molecule: enum(DNA, RNA) = DNA | Whether the output uses T (DNA) or U (RNA)
  > Give me the reverse complement of {sequence}.
  > revcomp {sequence}
  > What is the reverse complementary {molecule} strand of {sequence}?
  => reverse_complement: pick(GCTAACGTACGCAT|GGATCCGAATTC|CGATCGATGCCTAA|TTGCATGCGCCCGG)
get_gene_info: Look up a gene by its symbol: chromosome location, protein product and associated conditions
  gene_symbol: string! pick(BRCA1|TP53|CFTR|APOE|HBB|EGFR|MTHFR|FOXP2|KRAS|HTT) | Official gene symbol, e.g. BRCA1
  organism: enum(human, mouse, zebrafish, fruit_fly) = human | Organism whose genome to search
  > What does the {gene_symbol} gene do?
  > Where is {gene_symbol} located in the {organism} genome?
  > gene lookup {gene_symbol}
  > Which diseases are linked to mutations in {gene_symbol}?
  ? I want to read up on a gene, can you pull up its details?
  => chromosome: pick(17|13|7|19|11|4|12|1); exons: int(3,80); protein_length_aa: int(140,3200)
punnettSquare: Cross two parent genotypes and return the offspring genotype and phenotype ratios
  parent1: string! pick(AaBb|AABb|AaBB|aaBb|Aabb|AABB|aabb) | Genotype of the first parent, one letter pair per gene, e.g. AaBb
  parent2: string! pick(AaBb|AABb|AaBB|aaBb|Aabb|AABB|aabb) | Genotype of the second parent, written the same way
  > Make a Punnett square for {parent1} x {parent2}.
  > If I cross {parent1} with {parent2}, what ratios should the offspring show?
  > punnett {parent1} {parent2}
  ? What offspring ratios should I expect if one parent is {parent1}?
  => phenotype_ratio: pick(9:3:3:1|3:1|1:1:1:1|1:1|3:3:1:1|all dominant); distinct_genotypes: int(1,9)
hardy_weinberg: Expected genotype frequencies under Hardy-Weinberg equilibrium for a gene with two alleles
  p: number! num(0.05,0.95,2) | Frequency of the dominant allele, between 0 and 1
  population_size: integer int(100,50000) | Population size, to also return expected genotype counts
  > Under Hardy-Weinberg, what are the genotype frequencies if p = {p}?
  > The dominant allele has a frequency of {p}. How many of {population_size} individuals should be heterozygous?
  > hwe p={p}
  ? What would the Hardy-Weinberg genotype counts be in a population of {population_size}?
  => homozygous_dominant: num(0,0.9,3); heterozygous: num(0.09,0.5,3); homozygous_recessive: num(0,0.9,3)
evolution.divergence_time: Estimate when two species last shared a common ancestor, from molecular-clock data
  species_a: string! pick(human|chimpanzee|gorilla|house mouse|domestic dog|house cat|brown rat) | Common or scientific name of the first species
  species_b: string! pick(chicken|zebrafish|blue whale|platypus|orangutan|horse|koala|fruit fly) | Common or scientific name of the second species
  > How long ago did the {species_a} and the {species_b} split?
  > When did the {species_a} lineage diverge from the {species_b} lineage?
  > divergence time {species_a} vs {species_b}
  => million_years_ago: num(6,450,1); confidence_interval_myr: num(1,40,1)
projectCellCount: Project a cell culture's size after exponential growth, from its doubling time
  initial_cells: integer! int(1000,500000) | Number of cells at the start
  doubling_time_hours: number! num(8,48,1) | Time for the population to double, in hours
  elapsed_hours: number! num(12,168,0) | Growth time, in hours
  > I seeded {initial_cells} cells that double every {doubling_time_hours} hours. How many will I have after {elapsed_hours} hours?
  > cell count after {elapsed_hours} h: start {initial_cells}, doubling time {doubling_time_hours} h
  > My culture starts at {initial_cells} cells; with a {doubling_time_hours}-hour doubling time, what's the count {elapsed_hours} hours later?
  ? My cells double every {doubling_time_hours} hours. How many will there be after {elapsed_hours} hours?
  => final_cells: int(5000,90000000); doublings: num(0.5,20,1)
cell.organelle_info: Explain the structure and role of an organelle in a given kind of cell
  organelle: string! pick(mitochondrion|ribosome|Golgi apparatus|lysosome|chloroplast|rough endoplasmic reticulum|nucleus|central vacuole|peroxisome) | Organelle name
  cell_type: enum(animal, plant, fungal, bacterial) = animal | Kind of cell
  > What does the {organelle} do?
  > Explain the role of the {organelle} in {cell_type} cells.
  > {organelle} function
  => present_in_cell_type: bool; membrane_bound: bool
primer_melting_temp: Estimate the melting temperature (Tm) of a PCR primer
  primer: string! pick(AGCGTACCTGAATCGGTA|TTGACCGATCGGCATAGC|GCTAGCTTGGCATCCAAG|CATGGTACCGGATCAAGT|ACGTTGCAGGCTAGCTTA|GGATCCATGCGTACGTTG) | Primer sequence, 5' to 3'
  salt_mM: number num(25,200,0) = 50 | Monovalent salt (Na+) concentration in millimolar
  method: enum(wallace, salt_adjusted, nearest_neighbor) = nearest_neighbor | Formula used for the estimate
  > What's the Tm of the primer {primer}?
  > melting temperature of {primer} at {salt_mM} mM sodium
  > Use the Wallace rule{method=wallace} to estimate the melting temperature of {primer}.
  => tm_celsius: num(48,66,1); gc_percent: num(40,60,1)
find_restriction_sites: Find where a restriction enzyme cuts a DNA sequence
  sequence: string! pick(GAATTCATGGATCCAAGCTT|ATGCGGATCCGTAGAATTCA|CTGCAGGCGGCCGCTCGAG|AAGCTTGGATCCGAATTCTA|GCGGCCGCATCTAGAGGATC) | DNA sequence to scan
  enzyme: string! pick(EcoRI|BamHI|HindIII|NotI|XhoI|PstI) | Restriction enzyme name
  > Where does {enzyme} cut {sequence}?
  > Find the {enzyme} sites in {sequence}.
  > restriction map: {enzyme} on {sequence}
  ? Does my sequence have any {enzyme} sites?
  => cut_positions: int(1,20)*; fragments: int(1,4)

## ecology
ecology.carbon_footprint: Estimate a household's yearly carbon footprint from electricity, driving, flights and diet
  electricity_kwh_per_month: number! num(120,1200,0) | Electricity used per month, in kilowatt-hours
  car_km_per_week: number num(20,600,0) = 0 | Distance driven per week, in kilometers
  flights_per_year: integer int(1,12) = 0 | Return flights taken per year
  diet: enum(meat_heavy, omnivore, vegetarian, vegan) = omnivore | Household diet
  household_size: integer int(2,6) = 1 | People in the household, to report a per-person figure
  > What's the carbon footprint of a household using {electricity_kwh_per_month} kWh of electricity a month?
  > We use {electricity_kwh_per_month} kWh a month, drive about {car_km_per_week} km a week and take {flights_per_year} flights a year. How much CO2 is that?
  > carbon footprint: {electricity_kwh_per_month} kWh/month, {diet} diet, {household_size} people
  > I'm vegan{diet=vegan}, I use {electricity_kwh_per_month} kWh per month and fly {flights_per_year} times a year. What's my yearly footprint?
  ? How big is my family's carbon footprint? We drive about {car_km_per_week} km a week.
  => tonnes_co2e_per_year: num(2,30,1); per_person_tonnes: num(1,15,1); largest_source: pick(electricity|driving|flights|food)
calcFlightEmissions: Estimate the CO2 emissions of a flight between two airports
  origin: string! airport | IATA code of the departure airport
  destination: string! airport | IATA code of the arrival airport
  cabin_class: enum(economy, premium_economy, business, first) = economy | Cabin class, which sets the seat's share of the emissions
  round_trip: boolean = false | Count the return flight too
  passengers: integer int(2,6) = 1 | Number of passengers
  > How much CO2 does a flight from {origin} to {destination} emit?
  > Emissions for flying {cabin_class} class {origin} -> {destination}?
  > What's the carbon cost of a round trip{round_trip=true} between {origin} and {destination} for {passengers} passengers?
  ? What are the emissions of my flight to {destination}?
  => co2_kg: int(80,4000); distance_km: int(300,15000)
get_wildlife_population: Get the latest population estimate and trend for a wild animal species
  species: string! pick(African elephant|snow leopard|grey wolf|humpback whale|bald eagle|koala|Bengal tiger|mountain gorilla|polar bear|Atlantic puffin) | Common name of the species
  since_year: integer year(1980,2015) | Year to measure the population trend from
  > What's the wild population of the {species}?
  > {species} population estimate
  > How has the {species} population changed since {since_year}?
  > Is the wild {species} population growing or shrinking?
  ? How many are still left in the wild? I'm writing a school report on endangered animals.
  => population: int(300,90000); trend: pick(rising|stable|falling); last_survey_year: year(2015,2024)
climate.co2_ppm: Get the measured atmospheric CO2 concentration for a year, optionally for one month and station
  year: integer! year(1960,2024) | Year of the measurement
  month: integer int(1,12) | Month number from 1 to 12; the annual mean if omitted
  station: enum(Mauna Loa, Cape Grim, South Pole, global average) = global average | Monitoring station, or the global average
  > What was the CO2 concentration in the atmosphere in {year}?
  > atmospheric co2 ppm {year} at {station}
  > Monthly CO2 reading at Mauna Loa{station=Mauna Loa} for month {month} of {year}, please.
  => co2_ppm: num(315,425,2); change_from_previous_year_ppm: num(0.5,3.2,2)
diversity_index: Compute a species diversity index from the number of individuals counted per species
  counts: array<integer>! int(1,120)* | Individuals counted for each species in the sample
  index: enum(shannon, simpson, inverse_simpson) = shannon | Which diversity index to compute
  > How diverse is a sample with species counts of {counts}?
  > simpson{index=simpson} index for counts {counts}
  > Compute the {index} diversity index for species counts {counts}.
  ? Can you work out the biodiversity index of my quadrat survey?
  => value: num(0.3,2.5,3); species_richness: int(2,3); evenness: num(0.4,1,2)
forest.cover_loss: Get the tree cover a country lost in a given year, from satellite monitoring
  country: string! country | Country name
  year: integer year(2001,2023) | Year; the latest available if omitted
  primary_only: boolean = false | Count only primary (old-growth) forest
  > How much forest did {country} lose in {year}?
  > tree cover loss {country}
  > How much primary forest{primary_only=true} was cleared in {country} in {year}?
  ? How much forest was lost in {year}?
  => loss_hectares: int(1000,900000); share_of_forest_percent: num(0.1,3.5,2); top_driver: pick(agriculture|logging|wildfire|urban expansion)
projectSeaLevelRise: Project local sea-level rise at a coastal city for a future year under an emissions scenario
  city: string! pick(Miami|Jakarta|Lagos|Amsterdam|Mumbai|Shanghai|New Orleans|Venice|Alexandria|Ho Chi Minh City) | Coastal city name
  year: integer! pick(2050|2075|2100|2150) | Target year
  scenario: enum(SSP1-2.6, SSP2-4.5, SSP3-7.0, SSP5-8.5) = SSP2-4.5 | IPCC emissions scenario
  > How much will the sea rise in {city} by {year}?
  > sea level rise {city} {year} under {scenario}
  > What's the projected sea-level rise for {city} in {year} if emissions stay very high{scenario=SSP5-8.5}?
  ? How much is the sea expected to rise in {city}?
  => rise_cm: num(15,120,1); likely_range_cm: pick(10-40|20-60|30-90|45-110)
ecology.logistic_growth: Project a wildlife population forward with the logistic growth model
  initial_population: integer! int(20,5000) | Current number of individuals
  growth_rate: number! num(0.05,0.8,2) | Intrinsic growth rate r, per year
  carrying_capacity: integer! int(5000,80000) | Largest population the habitat can support
  years: integer! int(2,50) | Years to project ahead
  > A population of {initial_population} grows at r = {growth_rate} per year with a carrying capacity of {carrying_capacity}. How big will it be in {years} years?
  > logistic growth: N0 {initial_population}, r {growth_rate}, K {carrying_capacity}, {years} years
  > We reintroduced {initial_population} beavers; the valley can hold {carrying_capacity} and r is {growth_rate}. Project {years} years ahead.
  ? Our deer herd is {initial_population} animals and grows at a rate of {growth_rate} a year. How big will it get in {years} years?
  => projected_population: int(100,80000); years_to_half_capacity: num(1,40,1)
report_wildlife_sighting: Submit a wildlife sighting to a citizen-science biodiversity database
  species: string! pick(red fox|barn owl|European hedgehog|Eurasian otter|common kingfisher|roe deer|badger|peregrine falcon|monarch butterfly) | Common name of the animal seen
  location: string! city | Town or city where it was seen
  count: integer int(2,12) = 1 | Number of individuals seen
  date: string past_date(1,14) | Date of the sighting, YYYY-MM-DD; today if omitted
  > Log a {species} sighting in {location}.
  > I saw a group of {species} ({count} of them) near {location} on {date}. Please record it.
  > record sighting: {species}, {location}, {count} individuals
  ? I just saw a {species}! Can you report it?
  => sighting_id: id(OBS,6); status: pick(recorded|pending verification)
get_water_quality: Get recent water quality measurements for a lake, bay or river
  water_body: string! pick(Lake Geneva|Lake Tahoe|Lake Victoria|Lake Baikal|Lake Erie|Loch Ness|Chesapeake Bay|Lake Titicaca|Lake Constance|Puget Sound) | Name of the lake, bay or river
  parameters: array<string> pick(dissolved_oxygen|nitrate|phosphate|pH|turbidity|E_coli)* | Measurements to return; all if omitted
  > How clean is {water_body} at the moment?
  > water quality {water_body}
  > What are the latest {parameters} readings for {water_body}?
  => ph: num(6.5,8.8,1); dissolved_oxygen_mg_l: num(4,12,1); rating: pick(excellent|good|fair|poor)
gridCarbonIntensity: Get the carbon intensity of a country's electricity grid, and the emissions of a given consumption
  country: string! country | Country whose grid to check
  kwh: number num(1,5000,0) | Electricity used, in kilowatt-hours, to convert into emissions
  > How clean is the electricity grid in {country}?
  > grams of CO2 per kWh in {country}
  > How much CO2 comes from using {kwh} kWh of electricity in {country}?
  ? How much CO2 does charging my car with {kwh} kWh produce?
  => g_co2_per_kwh: int(20,800); renewable_share_percent: int(5,98); emissions_kg: num(0.1,3000,1)

## nutrition
calcBMR: Calculate basal metabolic rate, the calories the body burns at complete rest
  weight_kg: number! num(45,130,1) | Body weight in kilograms
  height_cm: number! num(145,205,0) | Height in centimeters
  age: integer! int(16,85) | Age in years
  sex: enum(male, female)! | Biological sex used by the formula
  formula: enum(mifflin_st_jeor, harris_benedict, katch_mcardle) = mifflin_st_jeor | Equation to use
  > What's the BMR for a {sex} aged {age}, {height_cm} cm tall and weighing {weight_kg} kg?
  > bmr {sex} {age}y {height_cm}cm {weight_kg}kg
  > I'm a woman{sex=female} aged {age}, {weight_kg} kg and {height_cm} cm. How many calories do I burn at rest? Use Harris-Benedict{formula=harris_benedict}.
  ? What's my basal metabolic rate? I'm {age} and weigh {weight_kg} kg.
  => bmr_kcal: int(1100,2300)
daily_calorie_target: Estimate daily calorie needs from body data and activity level, adjusted for a weight goal
  weight_kg: number! num(45,130,1) | Body weight in kilograms
  height_cm: number! num(145,205,0) | Height in centimeters
  age: integer! int(16,80) | Age in years
  sex: enum(male, female)! | Biological sex
  activity: enum(sedentary, lightly_active, moderately_active, very_active, extra_active) = moderately_active | Typical weekly activity level
  goal: enum(lose_weight, maintain_weight, gain_muscle) = maintain_weight | What the calories should support
  > How many calories a day does a {activity} {age}-year-old {sex} need at {weight_kg} kg and {height_cm} cm?
  > Daily calories for a very active{activity=very_active} {age}-year-old {sex}, {height_cm} cm, {weight_kg} kg.
  > I want to lose weight{goal=lose_weight}. I'm {sex}, {age}, {height_cm} cm and {weight_kg} kg, with a desk job{activity=sedentary}. How many calories should I eat per day?
  > tdee {sex} age {age} {weight_kg} kg {height_cm} cm goal {goal}
  ? How many calories should I eat a day to {goal}? I'm {sex}, {age} years old.
  => calories_per_day: int(1300,3800); maintenance_calories: int(1500,3600)
macroBreakdown: Split a daily calorie target into grams of protein, carbohydrate and fat
  calories: integer! int(1400,3500) | Daily calorie target in kcal
  diet_style: enum(balanced, low_carb, high_protein, keto, mediterranean) = balanced | Macronutrient split to use
  meals_per_day: integer int(2,6) | Also divide the grams across this many meals
  > Break {calories} calories into protein, carbs and fat.
  > macros for {calories} kcal, {diet_style}
  > I eat {calories} calories a day on a keto{diet_style=keto} diet, spread over {meals_per_day} meals. How many grams of each macro per meal?
  ? What macros should I aim for on a {diet_style} diet?
  => protein_g: int(60,250); carbs_g: int(20,450); fat_g: int(40,200)
get_micronutrients: Get the vitamin and mineral content of a raw ingredient for a given weight
  ingredient: string! ingredient | Food ingredient, e.g. spinach
  amount_g: number num(30,300,0) = 100 | Amount in grams
  nutrients: array<string> pick(iron|vitamin_C|calcium|potassium|vitamin_B12|magnesium|zinc|folate)* | Nutrients to report; all if omitted
  > How much {nutrients} is there in {ingredient}?
  > vitamins and minerals in {amount_g} g of {ingredient}
  > Is {ingredient} a good source of iron{nutrients=["iron"]}?
  => percent_daily_value: int(1,90); richest_nutrient: pick(vitamin C|iron|potassium|folate|calcium)
protein_intake_calc: Recommend a daily protein intake from body weight and training goal
  weight_kg: number! num(45,130,1) | Body weight in kilograms
  goal: enum(general_health, endurance, muscle_gain, fat_loss) = general_health | Training or diet goal
  age: integer int(18,85) | Age in years; older adults get a higher target
  > How much protein should I eat a day? I weigh {weight_kg} kg.
  > daily protein for {weight_kg} kg, goal {goal}
  > I'm {age}, {weight_kg} kg, and lifting to build muscle{goal=muscle_gain}. What's my protein target?
  ? How much protein do I need for {goal}?
  => protein_g_per_day: int(50,240); grams_per_kg: num(0.8,2.2,1)
lookupBarcodeNutrition: Look up the nutrition label of a packaged food by its barcode
  barcode: string! pick(5000159484695|3017620422003|0737628064502|8901063010130|4006381333931|5449000000996|7622210449283) | EAN-13 or UPC barcode number
  per: enum(serving, 100g) = serving | Report values per serving or per 100 grams
  > What's the nutrition info for barcode {barcode}?
  > scan {barcode}
  > How much sugar per 100 g{per=100g} is in the product with barcode {barcode}?
  ? Can you check the nutrition label of this snack bar for me?
  => product: pick(chocolate hazelnut spread|cola|multigrain crackers|peanut butter|instant noodles); kcal: int(40,550); sugar_g: num(0,60,1); nutri_score: pick(A|B|C|D|E)
glycemic_load: Get the glycemic index and glycemic load of a portion of food
  food: string! pick(white rice|banana|rolled oats|whole wheat bread|sweet potato|watermelon|lentils|cornflakes|apple|pasta) | Food name
  portion_g: number! num(50,300,0) | Portion weight in grams
  > What's the glycemic load of {portion_g} g of {food}?
  > gl {food} {portion_g}g
  > Will {portion_g} grams of {food} spike my blood sugar?
  ? What's the glycemic index and load of my bowl of {food}?
  => glycemic_index: int(25,85); glycemic_load: num(2,40,1); rating: pick(low|medium|high)
idealWeight: Estimate ideal body weight from height and sex with a clinical formula
  height_cm: number! num(145,205,0) | Height in centimeters
  sex: enum(male, female)! | Biological sex
  formula: enum(devine, robinson, miller, hamwi) = devine | Formula to use
  > What's the ideal weight for a {sex} who is {height_cm} cm tall?
  > ideal body weight {height_cm} cm {sex}, {formula} formula
  > I'm a woman{sex=female}, {height_cm} cm. What should I weigh?
  ? What's my ideal weight? I'm {height_cm} cm.
  => ideal_weight_kg: num(45,95,1); healthy_range_kg: pick(50-65|58-75|65-82|70-90)
body_fat_percentage: Estimate body fat percentage with the U.S. Navy tape-measure method
  sex: enum(male, female)! | Biological sex
  height_cm: number! num(150,200,0) | Height in centimeters
  waist_cm: number! num(60,120,1) | Waist circumference at the navel, in centimeters
  neck_cm: number! num(28,45,1) | Neck circumference, in centimeters
  hip_cm: number num(80,125,1) | Hip circumference in centimeters (needed for women)
  > Body fat for a {sex}: height {height_cm} cm, waist {waist_cm} cm, neck {neck_cm} cm.
  > I'm a woman{sex=female}, {height_cm} cm tall, waist {waist_cm} cm, neck {neck_cm} cm, hips {hip_cm} cm. What's my body fat percentage?
  > navy body fat {sex}, height {height_cm}, waist {waist_cm}, neck {neck_cm} (cm)
  ? What's my body fat percentage? My waist is {waist_cm} cm.
  => body_fat_percent: num(8,40,1); category: pick(athletic|fitness|average|above average)
fitness.one_rep_max: Estimate a one-repetition maximum from a weight lifted for several reps
  weight_kg: number! num(20,180,1) | Weight lifted, in kilograms
  reps: integer! int(2,12) | Repetitions completed with that weight
  formula: enum(epley, brzycki, lombardi) = epley | Estimation formula
  exercise: string pick(bench press|back squat|deadlift|overhead press|barbell row) | Lift performed, for the record
  > I did {reps} reps of {weight_kg} kg. What's my one-rep max?
  > 1rm {weight_kg}kg x {reps}
  > Estimate my {exercise} max: {weight_kg} kg for {reps} reps, using the Brzycki formula{formula=brzycki}.
  ? What's my one-rep max on {exercise}? I managed {reps} reps.
  => one_rep_max_kg: num(25,260,1)
target_heart_rate: Work out heart-rate training zones with the Karvonen method
  age: integer! int(16,80) | Age in years
  resting_hr: integer int(45,85) | Resting heart rate in beats per minute; estimated if omitted
  zone: enum(recovery, fat_burn, aerobic, threshold, max) = aerobic | Training zone to return
  > What's my target heart rate? I'm {age}.
  > heart rate zones for age {age}, resting {resting_hr} bpm
  > What heart rate should I aim for in the {zone} zone? I'm {age} with a resting pulse of {resting_hr}.
  => low_bpm: int(95,150); high_bpm: int(120,185); max_hr: int(140,204)

## civil_engineering
concrete_volume: Calculate the concrete needed for a rectangular slab, with a bag count
  length_m: number! num(2,20,1) | Slab length in meters
  width_m: number! num(1,12,1) | Slab width in meters
  thickness_cm: number! num(8,30,0) | Slab thickness in centimeters
  waste_percent: number pct(5,15) = 10 | Extra allowance for waste, in percent
  bag_kg: integer pick(20|25|40) | Weight of premix bags in kilograms, to also count bags
  > How much concrete do I need for a slab {length_m} m by {width_m} m, {thickness_cm} cm thick?
  > concrete for {length_m} x {width_m} m slab, {thickness_cm} cm, {waste_percent} waste
  > I'm pouring a {thickness_cm} cm patio, {length_m} by {width_m} meters. How many {bag_kg} kg bags of concrete is that?
  ? How much concrete for a {thickness_cm} cm thick slab?
  => volume_m3: num(0.3,60,2); bags: int(10,900)
structural.beam_deflection: Maximum deflection and bending moment of a simply supported beam under a uniform load
  span_m: number! num(2,12,1) | Beam span in meters
  load_kn_per_m: number! num(1,40,1) | Uniformly distributed load in kilonewtons per meter
  material: enum(steel, timber, concrete, aluminium) = steel | Beam material, which sets the elastic modulus
  moment_of_inertia_cm4: number num(800,60000,0) | Second moment of area of the section in cm^4
  > What's the deflection of a {span_m} m {material} beam carrying {load_kn_per_m} kN/m?
  > beam deflection: span {span_m} m, udl {load_kn_per_m} kN/m, I = {moment_of_inertia_cm4} cm4
  > A simply supported timber{material=timber} joist spans {span_m} m with a uniform load of {load_kn_per_m} kN per meter. How much will it sag?
  ? How much will my {material} beam deflect under {load_kn_per_m} kN/m?
  => max_deflection_mm: num(1,80,1); max_moment_knm: num(2,700,1); deflection_limit: pick(L/180|L/250|L/360|L/500)
materials.lookup: Look up the engineering properties of a construction material
  material: string! pick(S355 structural steel|C30/37 concrete|GL24h glulam|6061-T6 aluminium|clay brick masonry|B500B rebar|cross-laminated timber|granite|PVC pipe) | Material grade or name
  properties: array<string> pick(density|elastic_modulus|compressive_strength|tensile_strength|thermal_conductivity)* | Properties to return; all if omitted
  > What are the properties of {material}?
  > {material} {properties}
  > Give me the density and elastic modulus{properties=["density","elastic_modulus"]} of {material}.
  ? What's the compressive strength of that concrete grade?
  => density_kg_m3: int(500,7850); elastic_modulus_gpa: num(8,210,1); tensile_strength_mpa: int(2,600)
calcPipeHeadLoss: Friction head loss and flow velocity in a full pipe, using the Darcy-Weisbach equation
  flow_l_per_s: number! num(0.5,150,1) | Flow rate in liters per second
  diameter_mm: number! pick(50|75|100|150|200|300|450) | Internal pipe diameter in millimeters
  length_m: number! num(10,2000,0) | Pipe length in meters
  pipe_material: enum(PVC, ductile_iron, concrete, steel, HDPE, copper) = PVC | Pipe material, which sets the wall roughness
  water_temp_c: number num(5,30,0) = 15 | Water temperature in degrees Celsius
  > What's the head loss for {flow_l_per_s} L/s through {length_m} m of {diameter_mm} mm pipe?
  > head loss {pipe_material} pipe, {diameter_mm} mm, {length_m} m, {flow_l_per_s} l/s
  > We're pumping {flow_l_per_s} liters a second through a {diameter_mm} mm concrete{pipe_material=concrete} main, {length_m} m long, with water at {water_temp_c} °C. How much head do we lose?
  ? What's the friction loss in my {diameter_mm} mm pipe?
  => head_loss_m: num(0.1,60,2); velocity_m_s: num(0.3,4,2); reynolds_number: int(10000,900000)
manning_flow: Discharge and velocity of uniform flow in a rectangular open channel, using Manning's equation
  bottom_width_m: number! num(0.5,10,1) | Channel bottom width in meters
  water_depth_m: number! num(0.2,4,2) | Flow depth in meters
  slope: number! num(0.0005,0.02,4) | Channel bed slope in meters per meter
  manning_n: number num(0.011,0.045,3) = 0.013 | Manning roughness coefficient
  > What's the flow in a {bottom_width_m} m wide channel running {water_depth_m} m deep on a slope of {slope}?
  > manning: b={bottom_width_m} m, y={water_depth_m} m, S={slope}, n={manning_n}
  > A concrete-lined ditch is {bottom_width_m} m wide, with water {water_depth_m} m deep and a bed slope of {slope}. What discharge does it carry?
  ? How much water does a channel carry at a depth of {water_depth_m} m?
  => discharge_m3_s: num(0.1,80,2); velocity_m_s: num(0.3,5,2); froude_number: num(0.1,1.5,2)
road.stopping_sight_distance: Minimum stopping sight distance for a road, from design speed and grade
  design_speed_kmh: integer! pick(30|50|60|80|100|120) | Design speed in kilometers per hour
  grade_percent: number num(-8,8,1) = 0 | Longitudinal grade in percent; negative for downhill
  reaction_time_s: number num(1.5,3,1) = 2.5 | Driver perception-reaction time in seconds
  wet_pavement: boolean = true | Use wet-pavement friction
  > What stopping sight distance is needed at {design_speed_kmh} km/h?
  > SSD for {design_speed_kmh} km/h on a {grade_percent}% grade
  > Stopping distance for a {design_speed_kmh} km/h road, assuming a {reaction_time_s} second reaction time and dry pavement{wet_pavement=false}.
  ? What stopping sight distance does a road with a {grade_percent}% grade need?
  => stopping_distance_m: num(20,300,1); braking_distance_m: num(8,200,1)
rebar_weight: Weight and stock-bar count of reinforcing steel for a given total length
  bar_diameter_mm: integer! pick(8|10|12|16|20|25|32) | Nominal bar diameter in millimeters
  total_length_m: number! num(10,2000,0) | Total length of bar needed, in meters
  stock_length_m: number pick(6|9|12) = 12 | Length of the stock bars, in meters
  > How much does {total_length_m} m of {bar_diameter_mm} mm rebar weigh?
  > rebar weight, {bar_diameter_mm} mm, {total_length_m} m
  > I need {total_length_m} meters of {bar_diameter_mm} mm bar. How many {stock_length_m} m lengths and how many kilos is that?
  => weight_kg: num(5,12000,1); bars_needed: int(1,200)
foundation.bearing_capacity: Ultimate and allowable bearing capacity of a strip footing, by the Terzaghi method
  footing_width_m: number! num(0.5,3,1) | Footing width in meters
  depth_m: number! num(0.5,3,1) | Depth of the footing base below ground, in meters
  soil_type: enum(soft_clay, stiff_clay, loose_sand, dense_sand, gravel)! | Soil beneath the footing
  factor_of_safety: number num(2,3.5,1) = 3 | Safety factor for the allowable value
  > What's the bearing capacity of a {footing_width_m} m wide footing {depth_m} m deep in {soil_type}?
  > bearing capacity: strip footing B={footing_width_m} m, Df={depth_m} m, {soil_type}, FS {factor_of_safety}
  > Can {soil_type} carry a {footing_width_m} m strip footing placed {depth_m} m down?
  ? What's the allowable bearing pressure of {soil_type}?
  => ultimate_kpa: int(80,3000); allowable_kpa: int(30,1000)
designPavement: Recommend flexible pavement layer thicknesses from truck traffic and subgrade strength
  daily_trucks: integer! int(50,5000) | Average heavy vehicles per day in the design lane
  subgrade_cbr: number! num(2,15,1) | Subgrade California Bearing Ratio in percent
  design_years: integer pick(10|15|20|30) = 20 | Design life in years
  growth_rate_percent: number pct(1,5) = 2 | Annual traffic growth in percent
  > Design a pavement for {daily_trucks} trucks a day on a subgrade with a CBR of {subgrade_cbr}.
  > pavement thickness: {daily_trucks} HGV/day, CBR {subgrade_cbr}%, {design_years} years
  > How thick should the asphalt and base be for a road carrying {daily_trucks} trucks daily over {design_years} years, subgrade CBR {subgrade_cbr}, with traffic growing {growth_rate_percent} a year?
  ? What pavement do I need over a subgrade with a CBR of {subgrade_cbr}?
  => asphalt_mm: int(40,200); base_mm: int(150,400); subbase_mm: int(150,600); design_esals_millions: num(0.5,60,1)
construction.permit_check: Check whether a building project needs a permit in a city, and the usual fee and wait
  city: string! city | City where the work happens
  project_type: enum(new_build, extension, loft_conversion, garage, fence, deck, demolition)! | Kind of work
  floor_area_m2: number num(5,300,0) | Added floor area in square meters
  > Do I need a permit in {city} for my {project_type}?
  > permit rules {city} {project_type}
  > We're adding a {floor_area_m2} m2 extension{project_type=extension} to our house in {city}. Is a permit required?
  ? Do I need planning permission in {city}?
  => permit_required: bool; typical_fee: money(50,3000); processing_weeks: int(2,16)
column_buckling_load: Euler critical buckling load of a slender column
  length_m: number! num(1.5,10,1) | Unbraced column length in meters
  moment_of_inertia_cm4: number! num(200,20000,0) | Smallest second moment of area of the section in cm^4
  material: enum(steel, aluminium, timber, concrete) = steel | Column material, which sets the elastic modulus
  end_condition: enum(pinned_pinned, fixed_free, fixed_pinned, fixed_fixed) = pinned_pinned | How the column ends are restrained
  > What's the buckling load of a {material} column, {length_m} m long, with I = {moment_of_inertia_cm4} cm4?
  > euler buckling L={length_m} m I={moment_of_inertia_cm4} cm^4 {end_condition}
  > A {length_m} m post fixed at the base and free at the top{end_condition=fixed_free} has an I of {moment_of_inertia_cm4} cm4. At what load does it buckle?
  ? At what load will a column with I = {moment_of_inertia_cm4} cm4 buckle?
  => critical_load_kn: num(5,9000,1); effective_length_m: num(0.75,20,2)

## history
get_historical_event: Look up the date, place and outcome of a well-known historical event
  event: string! pick(Battle of Hastings|Fall of Constantinople|Storming of the Bastille|Signing of the Magna Carta|Battle of Waterloo|Fall of the Berlin Wall|Treaty of Westphalia|Apollo 11 Moon landing|Boston Tea Party|Meiji Restoration|Battle of Adwa) | Name of the event, e.g. Battle of Hastings
  detail: enum(brief, standard, full) = standard | How much detail the summary should contain
  include_casualties: boolean = false | Whether to add casualty estimates for events that involved fighting
  > When and where did the {event} take place?
  > Give me a {detail} overview of the {event}.
  > {event} date and outcome
  > What happened during the {event}, and how many people died{include_casualties=true}?
  => date: pick(1066-10-14|1453-05-29|1789-07-14|1215-06-15|1815-06-18|1989-11-09|1896-03-01); location: pick(East Sussex|Constantinople|Paris|Runnymede|Waterloo|Berlin|Adwa); outcome: pick(decisive victory|treaty signed|regime change|city captured|end of a dynasty)
history.get_ruler: Find who ruled a state or empire in a given year
  empire: string! pick(Ottoman Empire|Mughal Empire|Holy Roman Empire|Spanish Empire|Kingdom of France|Kingdom of England|Safavid Empire|Tsardom of Russia|Portuguese Empire) | Name of the state or empire
  year: integer! year(1560,1700) | Calendar year in the Common Era
  include_bio: boolean = false | Whether to add a short biography of the ruler
  > Who ruled the {empire} in {year}?
  > Who was on the throne of the {empire} in {year}? Please include a short biography{include_bio=true}.
  > ruler of the {empire} in {year}
  ? Who was in charge of the {empire} at the time?
  => ruler: pick(Suleiman the Magnificent|Akbar|Rudolf II|Philip II|Louis XIV|Elizabeth I|Abbas the Great|Ivan the Terrible|Sebastian I); reign_start: year(1520,1690); reign_end: year(1566,1715); dynasty: pick(Ottoman|Mughal|Habsburg|Bourbon|Tudor|Safavid|Rurikid|Aviz)
getHistoricalFigure: Get biographical facts about a historical figure
  name: string! pick(Cleopatra|Genghis Khan|Joan of Arc|Napoleon Bonaparte|Mansa Musa|Ashoka|Simón Bolívar|Harriet Tubman|Catherine the Great|Saladin|Nelson Mandela|Hypatia) | Name of the person as commonly known
  fields: array<string> pick(birth_date|death_date|achievements|family|famous_quotes)* | Which facts to return; all of them if omitted
  language: string language = English | Language of the answer
  > Who was {name}?
  > Tell me the {fields} of {name}.
  > {name} bio
  > Write me a short profile of {name} in {language}.
  => born: pick(69 BC|1162|1412|1769|1280|304 BC|1783|1822|1729|1137|1918|360); known_for: pick(unifying the Mongol tribes|leading the French at Orléans|the pilgrimage to Mecca|spreading Buddhism|liberating northern South America|the Underground Railroad|retaking Jerusalem|ending apartheid)
invention_origin: Find out who invented something, when and where
  invention: string! pick(printing press|telephone|steam engine|light bulb|telescope|magnetic compass|airplane|radio|typewriter|mechanical clock|sewing machine|phonograph|seismograph) | The invention, e.g. printing press
  include_precursors: boolean = false | Whether to also list earlier devices that led to it
  > Who invented the {invention}?
  > When was the {invention} invented, and in which country?
  > origin of the {invention}, including its precursors{include_precursors=true}
  => inventor: pick(Johannes Gutenberg|Alexander Graham Bell|James Watt|Thomas Edison|Hans Lippershey|Wright brothers|Guglielmo Marconi|Zhang Heng|Elias Howe); year: pick(1440|1876|1776|1879|1608|1903|1895|132|1846); country: pick(Germany|United States|Scotland|Netherlands|Italy|China|England)
history.on_this_day: List historical events, births or deaths that happened on a calendar date
  month: enum(January, February, March, April, May, June, July, August, September, October, November, December)! | Month of the date
  day: integer! num(1,28,0) | Day of the month
  category: enum(events, births, deaths) = events | Which kind of entries to return
  limit: integer int(3,15) = 5 | Maximum number of entries
  > What happened on {month} {day} in history?
  > Famous {category} on {month} {day}?
  > Give me {limit} notable people who died{category=deaths} on {month} {day}.
  > on this day: {month} {day}, {category}
  ? What famous events happened in {month}?
  => entries: pick(1815 - Napoleon escapes Elba|1969 - first Concorde test flight|1492 - Columbus sights land|1945 - United Nations founded|1953 - structure of DNA published)*; count: int(3,15)
history.era_overview: Summarise a historical era or period
  era: string! pick(Bronze Age|Renaissance|Heian period|Tang dynasty|Victorian era|Edo period|Industrial Revolution|Abbasid Caliphate|Song dynasty|Age of Enlightenment) | Name of the era or period
  aspects: array<string> pick(politics|economy|art|science|daily_life|religion)* | Aspects of the era to focus on
  > Give me an overview of the {era}.
  > What was daily life like during the {era}{aspects=["daily_life"]}?
  > {era}: key facts about {aspects}
  > When did the {era} begin and end?
  => start: pick(3300 BC|1400|794|618|1837|1603|1760|750|960|1685); end: pick(1200 BC|1600|1185|907|1901|1868|1840|1258|1279|1815); summary: pick(a time of rapid technological change|a flowering of art and learning|a long period of internal peace|an age of expanding trade)
dynasty_lineage: List the successive rulers of a dynasty or royal house
  dynasty: string! pick(Tudor|Habsburg|Romanov|Ming|Tokugawa|Plantagenet|Bourbon|Ptolemaic|Solomonic|Joseon) | Dynasty or royal house, e.g. Tudor
  generations: integer int(2,10) = 5 | How many successive rulers to list
  include_consorts: boolean = false | Whether to list each ruler's spouse as well
  > List the rulers of the {dynasty} dynasty.
  > Who were the first {generations} {dynasty} monarchs?
  > {dynasty} family tree with spouses{include_consorts=true}
  => rulers: pick(Henry VII|Henry VIII|Peter the Great|Hongwu Emperor|Tokugawa Ieyasu|Louis XIV|Maria Theresa|Ptolemy I Soter|Sejong the Great)*; founded: pick(1485|1273|1613|1368|1603|1154|1589|305 BC|1270|1392)
compare_empires: Compare two historical empires on one measure
  empire_a: string! pick(Roman Empire|Mongol Empire|British Empire|Ottoman Empire|Achaemenid Empire|Han dynasty|Inca Empire|Mali Empire|Byzantine Empire|Russian Empire) | First empire
  empire_b: string! pick(Roman Empire|Mongol Empire|British Empire|Ottoman Empire|Achaemenid Empire|Han dynasty|Inca Empire|Mali Empire|Byzantine Empire|Russian Empire) | Second empire
  metric: enum(peak_area, duration, peak_population, number_of_rulers)! | What to compare
  > Which was bigger at its peak{metric=peak_area}, the {empire_a} or the {empire_b}?
  > Compare the {empire_a} and the {empire_b} by {metric}.
  > {empire_a} vs {empire_b}: {metric}
  > Which lasted longer{metric=duration}, the {empire_a} or the {empire_b}?
  ? How did the {empire_a} stack up against other empires?
  => value_a: num(1,35,1); value_b: num(1,35,1); unit: pick(million km2|centuries|million people|rulers); larger: pick(first|second)
buildTimeline: Build a chronological timeline of a topic between two years
  topic: string! pick(railways|women's suffrage|aviation|photography|vaccination|the telegraph|public libraries|labour unions) | Subject of the timeline
  start_year: integer! year(1800,1880) | First year covered
  end_year: integer! year(1900,2000) | Last year covered
  granularity: enum(year, decade, century) = decade | Size of each step of the timeline
  > Build me a timeline of {topic} from {start_year} to {end_year}.
  > timeline: {topic}, {start_year}-{end_year}, one entry per {granularity}
  > What were the key milestones in the history of {topic} between {start_year} and {end_year}?
  ? Could you make me a timeline of {topic}?
  => milestones: int(5,40); first_entry: year(1800,1900); last_entry: year(1900,2000)

## geography
getCountryPopulation: Get the population of a country, optionally for a past year
  country: string! country | Country name
  year: integer year(1950,2024) | Year of the estimate; the latest one if omitted
  include_density: boolean = false | Whether to add the population density
  > What's the population of {country}?
  > How many people lived in {country} in {year}?
  > {country} population in {year}, plus people per square kilometre{include_density=true}
  ? What was the population back in {year}?
  => population: int(300000,1400000000); density_per_km2: num(3,520,1); growth_rate_pct: num(-0.8,2.9,2)
geo.river_info: Get the length, source, mouth and countries of a river
  river: string! pick(Nile|Amazon|Yangtze|Mississippi|Danube|Mekong|Congo|Ganges|Volga|Rhine|Murray|Zambezi) | River name
  unit: enum(km, miles) = km | Unit for the length
  > How long is the {river}?
  > Which countries does the {river} flow through?
  > {river} river length in {unit}
  > Where does the {river} start and where does it reach the sea?
  => length: int(500,6650); source: pick(Lake Victoria|Andes|Tibetan Plateau|Lake Itasca|Black Forest|Swiss Alps); mouth: pick(Mediterranean Sea|Atlantic Ocean|East China Sea|Gulf of Mexico|Black Sea|North Sea|Caspian Sea); countries: country*
mountain_peak_info: Get the elevation, range and first ascent of a named mountain
  mountain: string! pick(Mount Everest|K2|Denali|Kilimanjaro|Mont Blanc|Aconcagua|Mount Fuji|the Matterhorn|Mount Elbrus|Mount Kosciuszko) | Name of the mountain
  unit: enum(meters, feet) = meters | Unit for the elevation
  > How high is {mountain}?
  > What's the elevation of {mountain} in {unit}?
  > {mountain} height in feet{unit=feet}, and when was it first climbed?
  ? How tall is the mountain I'm climbing next summer?
  => elevation: int(2228,8849); first_ascent: year(1786,1960); range: pick(Himalayas|Karakoram|Alaska Range|Alps|Andes|Caucasus|Great Dividing Range)
list_borders: List the countries that border a given country
  country: string! country | Country name
  include_maritime: boolean = false | Whether to include countries that share only a sea border
  > Which countries border {country}?
  > neighbours of {country}
  > List all the land and sea neighbours{include_maritime=true} of {country}.
  => neighbours: country*; total_border_km: int(0,9000)
geo.time_difference: Get the time difference in hours between two cities
  from_city: string! city | First city
  to_city: string! city | Second city
  date: string date | Date to check, since daylight saving time can change the gap; today if omitted
  > What's the time difference between {from_city} and {to_city}?
  > How many hours apart are {from_city} and {to_city} on {date}?
  > time diff {from_city} / {to_city}
  => difference_hours: num(-12,12,1); to_city_ahead: bool
getWorldHeritageSites: List UNESCO World Heritage sites in a country
  country: string! country | Country name
  site_type: enum(cultural, natural, mixed) | Only sites of this type
  inscribed_after: integer year(1978,2015) | Only sites inscribed after this year
  > What UNESCO World Heritage sites are there in {country}?
  > {site_type} world heritage sites in {country}
  > List {country}'s World Heritage sites added after {inscribed_after}.
  => count: int(1,60); sites: pick(Historic Centre of Porto|Machu Picchu|Kyoto temples|Lake Malawi|Rapa Nui|Te Wahipounamu|Mount Kenya|Bryggen)*
landmark.details: Get facts about a famous landmark
  landmark: string! pick(Eiffel Tower|Great Wall of China|Statue of Liberty|Taj Mahal|Burj Khalifa|Colosseum|Sydney Opera House|Leaning Tower of Pisa|Golden Gate Bridge|Parthenon|Great Pyramid of Giza|Alhambra|Forbidden City) | Name of the landmark
  facts: array<string> pick(height|year_built|architect|visitors_per_year|coordinates)* | Which facts to return; all of them if omitted
  > When was the {landmark} built, and by whom?
  > {landmark}: {facts}
  > I'm planning a trip: give me the height and yearly visitor numbers{facts=["height", "visitors_per_year"]} for the {landmark}.
  => height_m: int(15,828); year_built: pick(1889|1653|1886|80|2010|1973|1372|1937|432 BC|2560 BC|1420); visitors_per_year: int(500000,10000000)
geo.largest_cities: List the most populous cities of a country
  country: string! country | Country name
  top_n: integer int(3,10) = 5 | How many cities to list
  measure: enum(city_proper, metro_area) = city_proper | Count people within city limits or in the whole metropolitan area
  > What are the largest cities in {country}?
  > top {top_n} cities in {country} by population
  > Which are the biggest metro areas{measure=metro_area} in {country}?
  => cities: city*; largest_population: int(400000,38000000)

## culture
music.scale_notes: List the notes of a musical scale
  tonic: string! pick(C|G|D|A|E|F|B-flat|E-flat|F-sharp|C-sharp) | Root note of the scale
  scale: enum(major, natural_minor, harmonic_minor, melodic_minor, major_pentatonic, blues, dorian, mixolydian) = major | Type of scale
  > What notes are in the {tonic} {scale} scale?
  > Spell out the {tonic} major scale{scale=major} for me.
  > notes of {tonic} {scale}
  ? Which notes are in the {scale} scale?
  => notes: pick(C D E F G A B|A B C D E F G|G A B C D E F#|D E F# G A B C#|E F# G A B C D)
transposeChords: Transpose a chord progression from one key to another
  chords: array<string>! pick(C|Am|F|G|Dm|Em|G7|E7|Bb)* | Chord symbols in order
  from_key: string! pick(C major|G major|D major|F major|B-flat major|A minor|E minor|D minor) | Key the chords are written in
  to_key: string! pick(C major|G major|D major|F major|B-flat major|A minor|E minor|D minor) | Key to transpose to
  > Transpose {chords} from {from_key} to {to_key}.
  > I have a progression in {from_key}: {chords}. What would it be in {to_key}?
  > chords {chords}, {from_key} to {to_key}
  ? Can you transpose {chords} into {to_key} for me?
  => transposed: pick(D|Bm|G|A|Em|F#m|Eb|Cm)*; semitones: int(-6,6)
tempo_term: Get the Italian tempo marking that matches a speed in beats per minute
  bpm: integer! int(40,200) | Tempo in beats per minute
  > What's the Italian tempo marking for {bpm} BPM?
  > Is {bpm} bpm allegro or andante?
  > tempo term for {bpm} beats per minute
  => marking: pick(Largo|Adagio|Andante|Moderato|Allegro|Vivace|Presto); range_bpm: pick(40-60|66-76|76-108|108-120|120-156|156-176|168-200)
music.composer_works: List notable works of a classical composer
  composer: string! pick(Johann Sebastian Bach|Wolfgang Amadeus Mozart|Ludwig van Beethoven|Frédéric Chopin|Pyotr Ilyich Tchaikovsky|Giuseppe Verdi|Johannes Brahms|Antonín Dvořák|Clara Schumann|Claude Debussy|Joseph Haydn) | Composer's name
  form: enum(symphony, opera, concerto, piano_sonata, string_quartet) | Only works in this form
  sort_by: enum(year, popularity) = popularity | Order of the list
  > What are {composer}'s most famous works?
  > List {composer}'s works in order of composition{sort_by=year}.
  > Which operas{form=opera} did {composer} write?
  > {composer}: every {form}
  => works: pick(Symphony No. 9|The Magic Flute|Nocturne in E-flat major|Swan Lake|La traviata|Clair de lune|Mass in B minor|New World Symphony|Piano Trio in G minor)*; count: int(1,120)
getArtworkDetails: Get the artist, date, medium and current location of a famous artwork
  title: string! pick(The Starry Night|Mona Lisa|Girl with a Pearl Earring|The Night Watch|Guernica|The Birth of Venus|The Persistence of Memory|The Great Wave off Kanagawa|Las Meninas|The Kiss|The Garden of Earthly Delights) | Title of the artwork
  > Who is the artist behind {title}?
  > Where can I see {title}, and when was it made?
  > artwork info: "{title}"
  => artist: pick(Vincent van Gogh|Leonardo da Vinci|Johannes Vermeer|Rembrandt|Pablo Picasso|Sandro Botticelli|Salvador Dalí|Hokusai|Diego Velázquez|Gustav Klimt|Hieronymus Bosch); year: pick(1503|1642|1665|1889|1937|1931|1485|1831|1656|1908); museum: pick(Louvre|Rijksmuseum|Museo del Prado|Uffizi|MoMA|Mauritshuis|Belvedere|Museo Reina Sofía)
museum.search_collection: Search a museum's collection by artist and medium
  museum: string! pick(Louvre|Rijksmuseum|Museo del Prado|Uffizi Gallery|Metropolitan Museum of Art|Tate Modern|Hermitage Museum|Musée d'Orsay|British Museum|Art Institute of Chicago) | Museum name
  artist: string pick(Rembrandt|Vincent van Gogh|Claude Monet|Caravaggio|Francisco Goya|Frida Kahlo|Katsushika Hokusai|Gustav Klimt|Johannes Vermeer|Artemisia Gentileschi) | Only works by this artist
  medium: enum(painting, sculpture, drawing, print, photograph) | Only works in this medium
  on_view_only: boolean = false | Whether to return only works currently on display
  > Does the {museum} have any works by {artist}?
  > Search the {museum} collection for {medium}s by {artist}.
  > Which {artist} pieces are on display right now{on_view_only=true} at the {museum}?
  > {museum} collection search
  => results: int(0,120); highlights: pick(Self-Portrait with Felt Hat|Water Lilies|Saturn Devouring His Son|The Milkmaid|Judith Slaying Holofernes|The Supper at Emmaus)*
literature.bibliography: List the published works of a writer
  author_name: string! pick(Jane Austen|Leo Tolstoy|Chinua Achebe|Gabriel García Márquez|Toni Morrison|Murasaki Shikibu|Virginia Woolf|Fyodor Dostoevsky|Jorge Luis Borges|Naguib Mahfouz) | Writer's name
  sort: enum(chronological, popularity) = chronological | Order of the list
  include_short_stories: boolean = false | Whether to list short stories and collections too
  > What did {author_name} write?
  > List {author_name}'s books in the order they came out{sort=chronological}.
  > {author_name} bibliography, short stories included{include_short_stories=true}
  > What are the most popular{sort=popularity} books by {author_name}?
  => works: pick(Pride and Prejudice|Anna Karenina|Things Fall Apart|One Hundred Years of Solitude|Beloved|The Tale of Genji|Mrs Dalloway|Crime and Punishment|Ficciones|Palace Walk)*; first_published: year(1000,1990)
architecture.style_info: Describe an architectural style, its period and typical features
  style: string! pick(Gothic|Baroque|Art Deco|Brutalist|Romanesque|Bauhaus|Art Nouveau|Neoclassical|Palladian|Mughal) | Name of the style
  include_examples: boolean = true | Whether to name well-known example buildings
  > What are the defining features of {style} architecture?
  > When was {style} architecture popular?
  > {style} architecture: key traits only, no example buildings{include_examples=false}
  => period: pick(1140-1500|1600-1750|1920-1940|1950-1975|1000-1150|1919-1933|1890-1910|1750-1850); features: pick(pointed arches and flying buttresses|dramatic curves and gilding|geometric ornament|raw exposed concrete|thick walls and round arches|function over form|flowing organic lines); example: pick(Notre-Dame de Paris|St. Peter's Basilica|Chrysler Building|Barbican Estate|Pisa Cathedral|Bauhaus Dessau|Casa Batlló|Taj Mahal)
mythology.find_deity: Find the deity of a mythology associated with a domain
  pantheon: enum(Greek, Roman, Norse, Egyptian, Hindu, Aztec, Japanese, Yoruba)! | Mythology to search
  domain: string! pick(war|the sea|wisdom|love|the sun|the dead|thunder|the harvest|the moon|fire) | Area of life or nature the deity rules over
  > Who is the {pantheon} god of {domain}?
  > {pantheon} mythology: deity of {domain}
  > In {pantheon} myth, which god or goddess was associated with {domain}?
  ? Who was the god of {domain}?
  => deity: pick(Ares|Poseidon|Athena|Thor|Ra|Anubis|Tlaloc|Amaterasu|Shango|Agni|Tsukuyomi); symbols: pick(spear|trident|owl|hammer|sun disk|jackal|double axe)
getReligiousHolidayDate: Get the date of a religious holiday in a given year
  holiday: string! pick(Easter|Orthodox Easter|Ramadan|Eid al-Fitr|Diwali|Passover|Hanukkah|Vesak|Yom Kippur|Holi|Eid al-Adha) | Name of the holiday
  year: integer! year(2025,2032) | Calendar year
  > When is {holiday} in {year}?
  > {holiday} {year} date
  > What date does {holiday} fall on in {year}?
  ? When does {holiday} start?
  => start_date: date(30,900); days: int(1,30); tradition: pick(Christian|Islamic|Hindu|Jewish|Buddhist)

## law
law.search_cases: Search court decisions on a legal topic
  query: string! pick(wrongful termination|copyright fair use|data breach liability|breach of contract|warrantless searches|trademark dilution|medical malpractice|online defamation|tenant eviction|non-compete clauses) | Legal topic or keywords
  jurisdiction: enum(US, UK, EU, Canada, Australia, India) | Only decisions from this jurisdiction
  decided_after: integer year(1950,2020) | Only decisions from after this year
  limit: integer int(5,50) = 10 | Maximum number of results
  > Find case law on {query}.
  > Search {jurisdiction} cases about {query} decided after {decided_after}.
  > {query} precedents, {jurisdiction}, top {limit}
  => total_results: int(3,900); top_case: pick(Campbell v. Acuff-Rose Music|Carpenter v. United States|Hadley v Baxendale|Google Spain v AEPD|Ontario v Canadian Pacific)
law.get_case: Get a summary of a court decision by its case name
  case_name: string! pick(Brown v. Board of Education|Marbury v. Madison|Miranda v. Arizona|Donoghue v Stevenson|Gideon v. Wainwright|Carlill v Carbolic Smoke Ball Co|Obergefell v. Hodges|Mabo v Queensland|Costa v ENEL|Kesavananda Bharati v State of Kerala) | Case name as cited
  include_dissent: boolean = false | Whether to summarise dissenting opinions too
  > What was decided in {case_name}?
  > Summarize {case_name}, including the dissenting opinions{include_dissent=true}.
  > case brief: {case_name}
  => court: pick(US Supreme Court|House of Lords|High Court of Australia|European Court of Justice|Supreme Court of India|Court of Appeal); year: pick(1803|1932|1954|1963|1966|1892|2015|1992|1964|1973); holding: pick(separate schools are inherently unequal|courts may review acts of the legislature|manufacturers owe a duty of care to consumers|suspects must be told of their rights|an advertisement can be a unilateral offer)
getStatuteText: Get the text of a section of a statute or code
  code: string! pick(US Copyright Act|California Civil Code|UK Companies Act 2006|German Civil Code|French Civil Code|Texas Penal Code|Canadian Criminal Code|Indian Penal Code) | Statute or code
  section: string! pick(107|1542|172|823|1240|22.01|265|302) | Section number
  as_of: string past_date | Show the text in force on this date, YYYY-MM-DD; the current text if omitted
  > Show me section {section} of the {code}.
  > What does section {section} of the {code} say?
  > {code} § {section} as it read on {as_of}
  ? Can you pull up section {section} for me?
  => heading: pick(Fair use|General release|Duty to promote the success of the company|Liability in damages|Civil liability for fault|Assault|Murder); last_amended: past_date(200,8000)
court_records.get_docket: Get the docket and status of a case in a court
  case_number: string! id(CV,6) | Case number, e.g. CV-204518
  court: string! pick(Southern District of New York|Central District of California|Ontario Superior Court of Justice|High Court of Justice|Cook County Circuit Court|Supreme Court of Victoria|Delhi High Court) | Court that holds the case
  include_filings: boolean = true | Whether to list every filing or just the summary
  > Pull the docket for case {case_number} in the {court}.
  > What's the status of {case_number} at the {court}?
  > docket {case_number}, {court}, summary only{include_filings=false}
  ? What's the latest on my case in the {court}?
  => status: pick(pending|dismissed|settled|judgment entered|stayed); next_hearing: date(5,120); filings: int(1,140)
registry.lookup_company: Look up a company in an official business registry
  company_name: string! company | Registered name of the company
  jurisdiction: string! pick(Delaware|England and Wales|Ontario|Singapore|Ireland|New South Wales|the Netherlands|Hong Kong) | Registry jurisdiction
  include_officers: boolean = false | Whether to list directors and officers
  > Look up {company_name} in the company register of {jurisdiction}.
  > Is {company_name} registered in {jurisdiction}?
  > company search: {company_name}, {jurisdiction}, with directors{include_officers=true}
  ? Can you check whether {company_name} is a registered company?
  => registration_number: id(REG,8); status: pick(active|dissolved|in liquidation|dormant); incorporated: past_date(400,9000)
checkTrademark: Search a trademark office for registered marks similar to a name
  mark: string! pick(Blue Falcon|Nimbus Brew|Zenpath|Oakline|Kitewave|Lumora|Copperleaf|Quillstone) | Word mark to check
  nice_class: integer int(1,45) | Nice classification class of the goods or services
  office: enum(USPTO, EUIPO, UKIPO, WIPO) = USPTO | Trademark office to search
  > Is the trademark {mark} still available?
  > Search {office} for marks similar to "{mark}" in class {nice_class}.
  > tm check {mark}, class {nice_class}
  => conflicts_found: int(0,12); available: bool
statute_of_limitations: Get the time limit for bringing a legal claim in a jurisdiction
  claim_type: string! pick(personal injury|written contract|oral contract|defamation|medical malpractice|property damage|fraud|unpaid wages) | Kind of claim
  jurisdiction: string! pick(California|New York|Texas|England and Wales|Ontario|Florida|Scotland|Illinois) | State, province or country
  > What's the statute of limitations for {claim_type} in {jurisdiction}?
  > How long do I have to sue over {claim_type} in {jurisdiction}?
  > limitation period {claim_type} {jurisdiction}
  ? What's the filing deadline for a claim about {claim_type}?
  => years: int(1,10); clock_starts: pick(date of injury|date of breach|date of discovery|date of publication)
land_registry.title_search: Search the land registry for the owner and title of a property
  address: string! street | Street address of the property
  city: string! city | City of the property
  include_liens: boolean = false | Whether to list mortgages and liens on the title
  > Who owns {address} in {city}?
  > Run a title search on {address}, {city}, with mortgages and liens{include_liens=true}.
  > land registry {address} {city}
  => owner: person; title_number: id(TN,7); last_transfer: past_date(100,6000); liens: int(0,3)

## board_games
chess.evaluate_position: Evaluate a chess position given in FEN notation and suggest the best move
  fen: string! pick(rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq e3 0 1|r1bqkbnr/pppp1ppp/2n5/4p3/4P3/5N2/PPPP1PPP/RNBQKB1R w KQkq - 2 3|rnbqkb1r/pp2pppp/3p1n2/8/3NP3/8/PPP2PPP/RNBQKB1R w KQkq - 1 5|8/8/8/4k3/8/8/4P3/4K3 w - - 0 1|6k1/5ppp/8/8/8/8/5PPP/3R2K1 w - - 0 1) | Position in Forsyth-Edwards Notation
  depth: integer int(10,30) = 20 | Engine search depth in plies
  engine: enum(stockfish, leela) = stockfish | Engine to use
  > Evaluate this chess position: {fen}
  > What's the best move here? {fen} Search to depth {depth}.
  > {engine} eval of FEN {fen}
  ? Can you tell me who's winning in my chess game?
  => best_move: pick(Nf3|e4|Rd8#|Bb5|O-O|d4|Ke2|Nc3); evaluation: num(-3,3,2); mate_in: int(0,5)
chess.get_opening: Get the moves, ECO code and ideas of a chess opening
  opening: string! pick(Sicilian Defense|Ruy Lopez|Queen's Gambit|French Defense|Caro-Kann Defense|King's Indian Defense|Italian Game|English Opening|Nimzo-Indian Defense|London System) | Name of the opening
  include_main_line: boolean = true | Whether to list the main line moves
  > What are the main moves of the {opening}?
  > ECO code for the {opening}?
  > Explain the ideas behind the {opening}, no move list needed{include_main_line=false}.
  => eco: pick(B20|C60|D06|C00|B10|E60|C50|A10|E20|D02); main_line: pick(1.e4 c5|1.e4 e5 2.Nf3 Nc6 3.Bb5|1.d4 d5 2.c4|1.e4 e6|1.e4 c6|1.d4 Nf6 2.c4 g6)
chess.player_games: Find recorded games of a chess player
  player: string! pick(Magnus Carlsen|Garry Kasparov|Bobby Fischer|Judit Polgár|Hikaru Nakamura|Anatoly Karpov|José Raúl Capablanca|Mikhail Tal|Hou Yifan|Viswanathan Anand) | Player's name
  color: enum(white, black) | Only games where the player had this colour
  opening: string pick(Sicilian Defense|Ruy Lopez|Queen's Gambit|French Defense|King's Indian Defense|Caro-Kann Defense) | Only games in this opening
  limit: integer int(5,50) = 10 | Maximum number of games
  > Show me some famous games by {player}.
  > Find {player}'s games with the {color} pieces in the {opening}.
  > show {limit} of {player}'s games as {color}
  => games_found: int(5,3000); notable: pick(Kasparov vs Topalov 1999|Byrne vs Fischer 1956|Carlsen vs Anand 2013|Polgár vs Kasparov 2002|Tal vs Botvinnik 1960)*
elo_rating: Compute a player's new Elo rating after one game
  player_rating: integer! int(900,2800) | The player's current rating
  opponent_rating: integer! int(900,2800) | The opponent's rating
  result: enum(win, draw, loss)! | Result of the game for the player
  k_factor: integer pick(10|20|32|40) = 20 | K-factor that sets how fast ratings move
  > I'm rated {player_rating} and I got a {result} against a {opponent_rating} player. What's my new rating?
  > new elo: me {player_rating}, opponent {opponent_rating}, result {result}, K={k_factor}
  > How many points do I gain if I beat{result=win} someone rated {opponent_rating} while I'm at {player_rating}?
  ? I just drew{result=draw} a game against someone rated {opponent_rating}. How does my rating change?
  => new_rating: int(880,2830); change: int(-32,32)
pokerOdds: Estimate Texas hold'em win and tie chances for a hand
  hole_cards: string! pick(AhKs|QdQc|7c8c|AsJs|9h9d|KdTd|2c7h) | Your two hole cards, e.g. AhKs
  board: string pick(Kc7d2h|Qs9c3d|Ts8s2d|Jd5c5h|4h6hAd) | Community cards dealt so far; preflop if omitted
  opponents: integer int(2,8) = 1 | Number of opponents still in the hand
  > What are my odds with {hole_cards} against {opponents} players?
  > Equity of {hole_cards} on a {board} board vs {opponents} opponents?
  > hold'em odds {hole_cards} preflop
  ? What are my chances on a {board} flop?
  => win_pct: num(5,85,1); tie_pct: num(0,8,1)
poker.pot_odds: Compute pot odds and the equity needed to call a bet
  pot_size: number! money(20,2000) | Chips in the pot, including the bet to call
  call_amount: number! money(5,500) | Chips needed to call
  > The pot is {pot_size} and I have to call {call_amount}. What are my pot odds?
  > pot odds: {call_amount} to call into {pot_size}
  > What equity do I need to call {call_amount} with {pot_size} in the pot?
  => ratio: pick(3 to 1|4 to 1|2.5 to 1|5 to 1|1.5 to 1); required_equity_pct: num(10,45,1)
dice.sum_probability: Probability that the sum of several dice meets a target
  num_dice: integer! pick(2|3|4) | Number of dice rolled
  sides: integer! pick(6|8|10|12|20) | Sides on each die
  target: integer! int(3,12) | Target total
  comparison: enum(exactly, at_least, at_most) = at_least | How the total is compared with the target
  > What's the probability of rolling at least{comparison=at_least} {target} with {num_dice}d{sides}?
  > Chance of getting {comparison} {target} on {num_dice}d{sides}?
  > If I roll {num_dice} dice with {sides} sides each, how likely is a total of exactly{comparison=exactly} {target}?
  => probability: num(0.01,0.99,4)
blackjackAdvice: Get the basic-strategy move for a blackjack hand
  player_total: integer! num(12,20,0) | Total of the player's hand
  dealer_upcard: string! pick(2|3|4|5|6|7|8|9|10|A) | Dealer's face-up card; A for an ace
  soft_hand: boolean = false | Whether the hand counts an ace as 11
  can_double: boolean = true | Whether the table allows doubling down now
  > I have {player_total} and the dealer shows {dealer_upcard}. Hit or stand?
  > Basic strategy for a soft{soft_hand=true} {player_total} against a dealer {dealer_upcard}?
  > blackjack: {player_total} vs dealer {dealer_upcard}, doubling not allowed{can_double=false}
  ? Should I hit on {player_total}?
  => action: pick(hit|stand|double|split|surrender)
scrabble_score: Compute the Scrabble score of a word
  word: string! word | The word to score
  word_multiplier: integer pick(1|2|3) = 1 | Word multiplier of the squares it covers
  edition: enum(English, French, Spanish) = English | Language edition that sets the tile values
  > How many points is {word} worth in Scrabble?
  > scrabble score for {word} on a triple word square{word_multiplier=3}
  > What would {word} score on a double word{word_multiplier=2}?
  > {word} scrabble points with {edition} tile values
  => score: int(6,60)
boardgame.get_rules: Look up the rules of a board game, optionally on one topic
  game: string! pick(Catan|Ticket to Ride|Carcassonne|Monopoly|Risk|Pandemic|Azul|Go|Backgammon|Checkers|Mahjong) | Name of the game
  topic: string pick(setup|scoring|winning conditions|trading|turn order|end of the game) | Part of the rules to explain
  > How do you play {game}?
  > What are the {topic} rules in {game}?
  > {game} rules: {topic}
  ? What's the rule for {topic} again?
  => players: pick(2|2-4|3-4|2-5|1-4); summary: pick(first to ten victory points wins|most territory wins|last player with money wins|all players lose if outbreaks reach eight)
"""
