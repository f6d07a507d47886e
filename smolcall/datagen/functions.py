"""The generator's function catalogue (format: see `catalog.py`). Invented for smolcall; no
benchmark data. `*` marks the held-out test functions. Names mix snake_case, camelCase, dotted
and abbreviated styles on purpose: the model has to copy them from the prompt."""

CATALOG = r"""
## weather
get_current_weather: Get the current weather for a location
  location: string! city | City name, e.g. Paris
  unit: enum(celsius, fahrenheit) = celsius | Temperature unit
  > What's the weather like in {location}?
  > {location} weather right now in {unit}
  > Is it warm in {location} at the moment?
  ? What's the weather like outside right now?
  => temperature: int(-5,35); condition: pick(sunny|cloudy|light rain|snow|windy); humidity: int(20,95)
getWeatherForecast: Get a multi-day weather forecast for a city
  city: string! city | Name of the city
  days: integer int(1,10) = 3 | Number of days to forecast
  > Give me the {days}-day forecast for {city}.
  > What will the weather be like in {city} over the next {days} days?
  > forecast for {city}
  => summary: pick(mostly sunny|rain expected|mixed clouds|stormy); high: int(5,38); low: int(-8,20)
get_air_quality: Get the air quality index for a city
  city: string! city | City name
  > How's the air quality in {city} today?
  > AQI in {city}?
  => aqi: int(10,180); level: pick(good|moderate|unhealthy for sensitive groups)
uv_index: Get the UV index at a coordinate
  lat: number! lat | Latitude in degrees
  lon: number! lon | Longitude in degrees
  > What's the UV index at latitude {lat}, longitude {lon}?
  > uv index for {lat} / {lon}
get_sunrise_sunset: Get sunrise and sunset times for a place and date
  location: string! city | City name
  date: string date | Date as YYYY-MM-DD; today if omitted
  > When does the sun rise and set in {location} on {date}?
  > sunset time in {location}
  => sunrise: time; sunset: time
weather.alerts: List active weather alerts for a country
  region: string! country | Country name
  severity: enum(minor, moderate, severe) | Only alerts at this level
  > Are there any {severity} weather warnings in {region}?
  > weather alerts for {region}
*get_hourly_forecast: Get an hour-by-hour forecast for a location
  location: string! city | City name
  hours: integer int(2,48) = 12 | How many hours ahead
  units: enum(metric, imperial) = metric | Unit system
  > Hourly forecast for {location} for the next {hours} hours, please.
  > What does the weather look like hour by hour in {location} in {units} units?
  ? Can you give me an hourly forecast?
*getPrecipitationChance: Get the chance of rain or snow in a city on a date
  city: string! city | City name
  date: string! date | Date as YYYY-MM-DD
  > Will it rain in {city} on {date}?
  > chance of precipitation {city} {date}
  => probability_percent: int(0,100)

## finance
get_stock_price: Get the latest price of a stock
  symbol: string! ticker | Stock ticker symbol, e.g. AAPL
  > What's {symbol} trading at?
  > Current share price of {symbol}?
  ? What's the stock price right now?
  => price: num(20,900); currency: pick(USD)
convert_currency: Convert an amount between two currencies
  amount: number! money | Amount to convert
  from_currency: string! currency | ISO code of the source currency
  to_currency: string! currency | ISO code of the target currency
  > Convert {amount} {from_currency} to {to_currency}.
  > How much is {amount} {from_currency} in {to_currency}?
  ? I want to convert some money into {to_currency}.
  => converted_amount: num(1,9000); rate: num(0.01,150,4)
calculate_loan_payment: Calculate the monthly payment of a loan
  principal: number! money(1000,500000) | Loan amount
  annual_rate: number! pct(2,12) | Annual interest rate in percent
  years: integer! int(1,30) | Loan term in years
  > What would my monthly payment be on a {principal} loan at {annual_rate} over {years} years?
  > loan payment: {principal}, {annual_rate} interest, {years} years
  ? I'm thinking about a loan for {principal}. What would I pay per month?
  => monthly_payment: num(50,5000)
getCryptoPrice: Get the price of a cryptocurrency
  coin: string! crypto | Coin symbol, e.g. BTC
  vs_currency: string currency = USD | Currency to quote in
  > What's the price of {coin}?
  > {coin} price in {vs_currency}
compound_interest: Compute the future value of an investment with compound interest
  principal: number! money | Starting amount
  rate: number! pct(1,10) | Annual rate in percent
  years: integer! int(1,40) | Number of years
  compounds_per_year: integer pick(1|4|12) = 12 | Compounding periods per year
  > If I invest {principal} at {rate} for {years} years, what will I have?
  > compound interest on {principal}, {rate} a year, {years} years, compounded {compounds_per_year} times a year
  => future_value: num(100,90000)
get_exchange_rate: Get today's exchange rate between two currencies
  base: string! currency | Base currency code
  quote: string! currency | Quote currency code
  > What's the {base} to {quote} exchange rate?
  > fx rate {base}/{quote}
  => rate: num(0.01,150,4)
*get_stock_quote_history: Get daily closing prices of a stock between two dates
  ticker: string! ticker | Stock symbol
  start_date: string! past_date | First day, YYYY-MM-DD
  end_date: string! past_date(1,29) | Last day, YYYY-MM-DD
  > Show me {ticker} closing prices from {start_date} to {end_date}.
  > How did {ticker} trade between {start_date} and {end_date}?
*calc_roi: Calculate the return on investment in percent
  initial_investment: number! money | Amount invested
  final_value: number! money | Value now
  > I put in {initial_investment} and now it's worth {final_value}. What's my ROI?
  > roi: {initial_investment} -> {final_value}
  ? What's my return on investment if it's now worth {final_value}?

## math
calculate_triangle_area: Calculate the area of a triangle from its base and height
  base: integer! int(1,50) | Length of the base
  height: integer! int(1,50) | Height of the triangle
  unit: string pick(cm|m|inches) = units | Unit of length
  > What's the area of a triangle with base {base} and height {height}?
  > Find the area of a triangle, base {base} {unit}, height {height} {unit}.
  ? I need the area of a triangle with a height of {height}.
math.gcd: Compute the greatest common divisor of two integers
  a: integer! int(2,500) | First integer
  b: integer! int(2,500) | Second integer
  > What is the greatest common divisor of {a} and {b}?
  > gcd({a}, {b})
solve_quadratic: Solve a quadratic equation a*x^2 + b*x + c = 0
  a: integer! int(1,9) | Coefficient of x^2
  b: integer! int(-20,20) | Coefficient of x
  c: integer! int(-30,30) | Constant term
  > Solve the quadratic with a={a}, b={b}, c={c}.
  > Find the roots of the equation with coefficients {a}, {b} and {c}.
  => roots: num(-10,10)*
calculate_factorial: Calculate the factorial of a non-negative integer
  n: integer! int(0,20) | The number
  > What's the factorial of {n}?
  > {n}! = ?
calc_mean: Compute the arithmetic mean of a list of numbers
  numbers: array<number>! int(1,100)* | The numbers
  > What's the average of {numbers}?
  > mean of {numbers}
is_prime: Check whether a number is prime
  number: integer! int(2,9999) | Number to test
  > Is {number} a prime number?
  > check if {number} is prime
  ? Can you tell me if a number is prime?
*compute_lcm: Compute the least common multiple of two integers
  x: integer! int(2,120) | First integer
  y: integer! int(2,120) | Second integer
  > What's the least common multiple of {x} and {y}?
  > lcm of {x} and {y}
*stats.standard_deviation: Compute the standard deviation of a list of values
  values: array<number>! num(1,50,1)* | The data
  sample: boolean = false | Use the sample formula instead of the population one
  > What's the standard deviation of {values}?
  > Sample standard deviation{sample=true} of {values}, please.

## geometry
calculate_circle_area: Calculate the area of a circle
  radius: number! num(0.5,30,1) | Radius of the circle
  units: enum(cm, m, in, ft) = cm | Unit of the radius
  > Area of a circle with radius {radius} {units}?
  > How big is a circle of radius {radius}?
  ? What's the area of my circle?
rectangle_perimeter: Calculate the perimeter of a rectangle
  length: number! num(1,100,1) | Length
  width: number! num(1,100,1) | Width
  > Perimeter of a {length} by {width} rectangle?
  > How much fencing for a rectangular yard {length} long and {width} wide?
volume_of_sphere: Calculate the volume of a sphere
  radius: number! num(0.5,20,1) | Radius
  > Volume of a sphere with radius {radius}?
  > How much air fits in a ball of radius {radius}?
hypotenuse: Length of the hypotenuse of a right triangle
  a: number! int(1,40) | First leg
  b: number! int(1,40) | Second leg
  > Right triangle with legs {a} and {b}: how long is the hypotenuse?
  > hypotenuse for sides {a}, {b}
polygonInteriorAngle: Interior angle of a regular polygon in degrees
  sides: integer! int(3,12) | Number of sides
  > What's each interior angle of a regular polygon with {sides} sides?
  > interior angle, {sides}-gon
getDistance2D: Euclidean distance between two points on a plane
  point_a: object{x: number!; y: number!}! point | First point as x and y
  point_b: object{x: number!; y: number!}! point | Second point as x and y
  > How far apart are the points ({point_a}) and ({point_b})?
*calculate_cylinder_volume: Calculate the volume of a cylinder
  radius: number! num(0.5,20,1) | Radius of the base
  height: number! num(1,50,1) | Height
  > Volume of a cylinder, radius {radius}, height {height}?
  > How much does a cylindrical tank with radius {radius} and height {height} hold?
*cone_surface_area: Total surface area of a right circular cone
  radius: number! num(0.5,20,1) | Base radius
  slant_height: number! num(1,40,1) | Slant height
  > Surface area of a cone with radius {radius} and slant height {slant_height}?
  ? What's the surface area of a cone with a slant height of {slant_height}?

## travel
search_flights: Search for flights between two airports
  origin: string! airport | Departure airport code
  destination: string! airport | Arrival airport code
  departure_date: string! date | Date as YYYY-MM-DD
  passengers: integer int(1,6) = 1 | Number of passengers
  cabin: enum(economy, premium_economy, business, first) = economy | Cabin class
  > Find flights from {origin} to {destination} on {departure_date}.
  > I need {passengers} {cabin} seats {origin} to {destination}, leaving {departure_date}.
  ? Find me a flight to {destination}.
  => flights_found: int(0,40); cheapest_price: money(80,2000)
book_hotel: Book a hotel room
  city: string! city | City to stay in
  check_in: string! date | Check-in date, YYYY-MM-DD
  nights: integer! int(1,14) | Number of nights
  guests: integer int(1,4) = 2 | Number of guests
  > Book me a hotel in {city} from {check_in} for {nights} nights.
  > hotel {city}, {guests} guests, check in {check_in}, {nights} nights
  ? Can you book me a hotel in {city}?
  => confirmation: id(HTL,6); total_price: money(80,3000)
getVisaRequirements: Check visa requirements for a trip
  citizenship: string! country | Traveller's nationality
  destination: string! country | Country to visit
  > Do citizens of {citizenship} need a visa for {destination}?
  > visa rules {citizenship} passport -> {destination}
  => visa_required: bool; max_stay_days: int(14,180)
find_attractions: Find tourist attractions in a city
  city: string! city | City name
  category: enum(museum, park, landmark, food) = landmark | Kind of attraction
  > What are the best {category} spots in {city}?
  > Things to see in {city}?
rent_car: Reserve a rental car
  pickup_city: string! city | Where to pick the car up
  pickup_date: string! date | Pick-up date, YYYY-MM-DD
  days: integer! int(1,21) | Rental length in days
  car_class: enum(economy, compact, suv, van) | Car category
  > Rent a {car_class} in {pickup_city} from {pickup_date} for {days} days.
  > I need a car in {pickup_city}, picking up {pickup_date}, {days} days.
check_flight_status: Get the live status of a flight
  flight_number: string! flight | Flight number, e.g. BA117
  > Is flight {flight_number} on time?
  > status of {flight_number}
  ? Is my flight delayed?
  => status: pick(on time|delayed|boarding|landed); gate: pick(A4|B12|C7|D22)
*search_trains: Search train connections between two stations
  from_station: string! station | Departure station
  to_station: string! station | Arrival station
  date: string! date | Travel date, YYYY-MM-DD
  time: string time | Earliest departure, HH:MM
  > Trains from {from_station} to {to_station} on {date}?
  > I want to take the train {from_station} -> {to_station} {date} after {time}.
*hotel.cancel_reservation: Cancel a hotel reservation
  reservation_id: string! id(RES,6) | Reservation number
  reason: string quoted(message) | Optional note for the hotel
  > Cancel hotel reservation {reservation_id}.
  > Please cancel booking {reservation_id}, note: {reason}
  ? I need to cancel my hotel booking.

## maps
get_directions: Get directions between two places
  origin: string! city | Start
  destination: string! city | End
  mode: enum(driving, walking, transit, cycling) = driving | How to travel
  > How do I get from {origin} to {destination}?
  > {mode} directions {origin} to {destination}
  ? How do I get to {destination}?
  => distance_km: int(1,900); duration_minutes: int(5,600)
geocode_address: Turn a street address into coordinates
  address: string! street | Street address
  > What are the coordinates of {address}?
  > geocode "{address}"
  => lat: lat; lon: lon
find_nearby_places: Find places of a given type near a location
  location: string! city | Where to search
  place_type: string! pick(cafe|pharmacy|ATM|gas station|hospital|bakery) | Kind of place
  radius_m: integer int(100,5000) = 1000 | Search radius in meters
  > Find a {place_type} near {location}.
  > any {place_type} within {radius_m} meters in {location}?
getTimezone: Get the time zone of a city
  city: string! city | City name
  > What time zone is {city} in?
  > tz for {city}
distance_between_cities: Straight-line distance between two cities
  city_a: string! city | First city
  city_b: string! city | Second city
  unit: enum(km, miles) = km | Unit of the result
  > How far is {city_a} from {city_b}?
  > distance {city_a} - {city_b} in {unit}
reverse_geocode: Find the address at a latitude and longitude
  lat: number! lat | Latitude
  lon: number! lon | Longitude
  > What's at {lat}, {lon}?
  > Which address is at latitude {lat} and longitude {lon}?
*estimate_travel_time: Estimate how long a trip takes
  from_city: string! city | Start city
  to_city: string! city | End city
  transport: enum(car, train, bus, plane) | Means of transport
  > How long does it take from {from_city} to {to_city} by {transport}?
  > travel time {from_city} to {to_city}
*get_elevation: Get the elevation above sea level at a coordinate
  latitude: number! lat | Latitude
  longitude: number! lon | Longitude
  > What's the elevation at {latitude}, {longitude}?
  > How high above sea level is latitude {latitude}, longitude {longitude}?

## calendar
create_event: Create a calendar event
  title: string! quoted(title) | Event title
  date: string! date | Date, YYYY-MM-DD
  start_time: string! time | Start time, HH:MM (24h)
  duration_minutes: integer minutes = 60 | Length in minutes
  > Add {title} to my calendar on {date} at {start_time}.
  > Schedule {title} for {date}, {start_time}, lasting {duration_minutes}.
  ? Put {title} in my calendar.
  => event_id: id(EVT,5); status: pick(created)
list_events: List calendar events on a date
  date: string! date | Date, YYYY-MM-DD
  > What's on my calendar {date}?
  > list my events for {date}
cancelMeeting: Cancel a meeting by its ID
  meeting_id: string! id(MTG,4) | Meeting ID
  notify_attendees: boolean = true | Email the attendees
  > Cancel meeting {meeting_id}.
  > Cancel {meeting_id} without telling anyone{notify_attendees=false}.
set_reminder: Set a reminder
  message: string! quoted(title) | What to remind about
  date: string! date | Date, YYYY-MM-DD
  time: string! time | Time, HH:MM (24h)
  > Remind me {message} on {date} at {time}.
  > Set a reminder for {date} {time}: {message}
  ? Remind me about {message}.
find_free_slot: Find a free time slot shared by several people
  attendees: array<string>! email* | Attendee email addresses
  duration_minutes: integer! minutes | Meeting length in minutes
  date: string! date | Day to search, YYYY-MM-DD
  > Find {duration_minutes} on {date} when {attendees} are all free.
  > When can I meet {attendees} for {duration_minutes} on {date}?
reschedule_event: Move an event to a new date and time
  event_id: string! id(EVT,5) | Event ID
  new_date: string! date | New date, YYYY-MM-DD
  new_time: string time | New start time, HH:MM
  > Move event {event_id} to {new_date} at {new_time}.
  > reschedule {event_id} -> {new_date}
*schedule_recurring_meeting: Create a weekly recurring meeting
  title: string! quoted(title) | Meeting title
  weekday: enum(Monday, Tuesday, Wednesday, Thursday, Friday)! | Day of the week
  time: string! time | Start time, HH:MM
  weeks: integer! int(2,12) | How many weeks it repeats
  > Set up {title} every {weekday} at {time} for {weeks} weeks.
  > weekly meeting {title}, {weekday}s {time}, {weeks} weeks
  ? Make {title} a weekly meeting.
*get_holidays: List public holidays of a country in a year
  country: string! country | Country name
  year: integer! year(2024,2027) | Year
  > What are the public holidays in {country} in {year}?
  > {country} holidays {year}

## communication
send_email: Send an email
  to: string! email | Recipient address
  subject: string! quoted(subject) | Subject line
  body: string! quoted(message) | Message text
  > Email {to} with subject {subject} saying {body}.
  > Send an email to {to}. Subject: {subject}. Body: {body}
  ? Send an email to {to}.
  => status: pick(sent); message_id: id(MSG,6)
sendSMS: Send a text message
  phone_number: string! phone | Recipient phone number
  message: string! quoted(message) | Text to send
  > Text {phone_number}: {message}
  > Send an SMS to {phone_number} saying {message}.
  ? Send a text saying {message}.
post_slack_message: Post a message to a Slack channel
  channel: string! channel | Channel name, with #
  text: string! quoted(message) | Message text
  > Post {text} in {channel}.
  > slack {channel}: {text}
translate_text: Translate text into another language
  text: string! quoted(phrase) | Text to translate
  target_language: string! language | Language to translate into
  source_language: string language | Language of the text; detected if omitted
  > Translate {text} into {target_language}.
  > How do you say {text} in {target_language}?
  > {source_language} to {target_language}: {text}
  ? Can you translate something into {target_language} for me?
  => translation: quoted(phrase)
make_call: Start a phone call to a contact
  contact_name: string! person | Contact to call
  > Call {contact_name}.
  > ring {contact_name} please
add_contact: Save a new contact
  name: string! person | Full name
  email: string email | Email address
  phone: string phone | Phone number
  > Add {name} to my contacts, email {email}.
  > New contact: {name}, phone {phone}
*send_whatsapp_message: Send a WhatsApp message to a contact
  recipient: string! person | Contact name
  message: string! quoted(message) | Message text
  > WhatsApp {recipient}: {message}
  > Send {recipient} a WhatsApp saying {message}.
  ? Send a WhatsApp to {recipient}.
*forward_email: Forward an email to someone
  email_id: string! id(MSG,6) | ID of the email
  to: string! email | Address to forward to
  > Forward email {email_id} to {to}.
  > fwd {email_id} -> {to}

## shopping
search_products: Search the store catalogue
  query: string! product | What to search for
  max_price: number money(5,500) | Highest price
  sort_by: enum(price_asc, price_desc, rating, newest) = rating | Sort order
  > Find me a {query} under {max_price}.
  > search {query}, sorted by {sort_by}
  => results: int(0,60); top_result: product
add_to_cart: Add a product to the shopping cart
  product_id: string! id(SKU,6) | Product ID
  quantity: integer int(1,5) = 1 | How many
  > Add {quantity} of {product_id} to my cart.
  > put {product_id} in the cart
  ? Add that to my cart.
track_order: Track an order
  order_id: string! id(ORD,6) | Order number
  > Where is my order {order_id}?
  > track {order_id}
  ? Where's my package?
  => status: pick(shipped|out for delivery|delivered|processing); eta: date
apply_discount_code: Apply a discount code to an order
  order_id: string! id(ORD,6) | Order number
  code: string! coupon | Discount code
  > Apply code {code} to order {order_id}.
  > use coupon {code} on {order_id}
place_order: Place an order for delivery
  items: array<object{name: string!; quantity: integer!}>! line_items | Products and quantities
  shipping_address: object{street: string!; city: string!; zip: string!}! address | Where to deliver
  > Order {items} and ship to {shipping_address}.
  > I'd like {items} delivered to {shipping_address}.
  => order_id: id(ORD,6); total: money(10,900)
getProductReviews: Get customer reviews of a product
  product_id: string! id(SKU,6) | Product ID
  min_rating: integer int(1,5) | Only reviews with at least this many stars
  > Show reviews for {product_id}.
  > reviews of {product_id} with at least {min_rating} stars
return_item: Start a return for an order
  order_id: string! id(ORD,6) | Order number
  reason: enum(damaged, wrong_size, not_as_described, changed_mind)! | Why it goes back
  > I want to return order {order_id}, reason: {reason}.
  > return {order_id}: {reason}
  ? I'd like to return something.
*compare_prices: Compare a product's price across stores
  product_name: string! product | Product to compare
  stores: array<string> pick(Amazon|Target|BestBuy|Walmart|eBay)* | Stores to check
  > Compare prices for a {product_name}.
  > Where is the {product_name} cheapest: {stores}?
*checkGiftCardBalance: Check the balance of a gift card
  card_number: string! id(GC,8) | Gift card number
  > How much is left on gift card {card_number}?
  > balance {card_number}
  ? What's the balance on my gift card?

## food
search_recipes: Find recipes by ingredients
  ingredients: array<string>! ingredient* | Ingredients to use
  diet: enum(none, vegetarian, vegan, gluten_free) = none | Diet restriction
  max_minutes: integer int(10,90) | Longest cooking time
  > What can I cook with {ingredients}?
  > {diet} recipes with {ingredients}, under {max_minutes} minutes
  => recipes: dish*
get_nutrition_info: Get nutrition facts for a dish
  food: string! dish | Dish or food
  serving_grams: integer int(50,500) = 100 | Serving size in grams
  > How many calories are in {food}?
  > nutrition facts for {serving_grams} g of {food}
  => calories: int(80,900); protein_g: int(1,60)
find_restaurants: Find restaurants in a city
  city: string! city | City
  cuisine: string! cuisine | Type of food
  price_level: integer int(1,4) | 1 (cheap) to 4 (expensive)
  > Find {cuisine} restaurants in {city}.
  > cheap{price_level=1} {cuisine} food in {city}?
  ? Any good restaurants around here?
book_table: Reserve a table at a restaurant
  restaurant: string! restaurant | Restaurant name
  date: string! date | Date, YYYY-MM-DD
  time: string! time | Time, HH:MM
  party_size: integer! int(1,10) | Number of people
  > Book a table for {party_size} at {restaurant} on {date} at {time}.
  > {restaurant}, {party_size} people, {date} {time}
  ? Get me a table at {restaurant}.
  => confirmation: id(TBL,5)
order_food_delivery: Order food for delivery
  restaurant: string! restaurant | Restaurant name
  items: array<string>! dish* | Dishes to order
  address: string! street | Delivery address
  > Order {items} from {restaurant} to {address}.
  > deliver {items} from {restaurant}, address {address}
convert_recipe_servings: Scale a recipe to a different number of servings
  recipe_name: string! dish | Recipe
  original_servings: integer! int(2,8) | Servings the recipe makes
  new_servings: integer! int(1,12) | Servings wanted
  > My {recipe_name} recipe serves {original_servings}; scale it to {new_servings}.
*getWinePairing: Suggest a wine for a dish
  dish: string! dish | The dish
  > What wine goes with {dish}?
  > wine pairing for {dish}
*meal_plan: Build a meal plan
  days: integer! int(1,7) | Number of days
  calories_per_day: integer int(1200,3000) | Daily calorie target
  diet: enum(none, vegetarian, vegan, keto) = none | Diet
  > Make me a {days}-day meal plan.
  > {diet} meal plan for {days} days at {calories_per_day} calories a day

## health
calculate_bmi: Calculate body mass index
  weight_kg: number! num(40,130,1) | Weight in kilograms
  height_cm: number! int(140,205) | Height in centimeters
  > I weigh {weight_kg} kg and I'm {height_cm} cm tall. What's my BMI?
  > bmi {weight_kg}kg {height_cm}cm
  ? What's my BMI if I weigh {weight_kg} kg?
  => bmi: num(16,40,1); category: pick(underweight|normal|overweight|obese)
log_workout: Log a workout session
  activity: string! exercise | Type of exercise
  duration_minutes: integer! minutes | Length in minutes
  calories: integer int(50,900) | Calories burned, if known
  > Log {duration_minutes} of {activity}.
  > I did {activity} for {duration_minutes} and burned {calories} calories, log it.
  ? Log my workout from this morning.
get_medication_info: Get information about a medication
  drug_name: string! medication | Medication name
  > What is {drug_name} used for?
  > side effects of {drug_name}?
find_doctor: Find a doctor by specialty
  specialty: enum(dermatology, cardiology, pediatrics, orthopedics, dentistry)! | Medical specialty
  city: string! city | City
  > Find a {specialty} doctor in {city}.
  > I need a {specialty} specialist in {city}.
  ? I need to see a doctor in {city}.
track_water_intake: Record water drunk
  amount_ml: integer! int(150,1000) | Amount in milliliters
  > Log {amount_ml} ml of water.
  > I just drank {amount_ml}ml
calculate_calories_burned: Estimate calories burned by an activity
  activity: string! exercise | Activity
  minutes: integer! int(10,120) | Duration in minutes
  weight_kg: number! num(40,130,1) | Body weight in kilograms
  > How many calories do I burn doing {activity} for {minutes} minutes at {weight_kg} kg?
  => calories: int(50,1200)
*check_symptoms: Suggest possible causes for symptoms
  symptoms: array<string>! symptom* | Symptoms
  age: integer! int(1,90) | Patient age
  > I'm {age} and I have {symptoms}. What could it be?
  > symptoms: {symptoms}, age {age}
  ? I have {symptoms}. What could it be?
*bookVaccination: Book a vaccination appointment
  vaccine: enum(flu, covid-19, tetanus, hepatitis_b)! | Vaccine
  date: string! date | Date, YYYY-MM-DD
  clinic_city: string! city | City of the clinic
  > Book a {vaccine} shot in {clinic_city} on {date}.
  > {vaccine} vaccine appointment, {clinic_city}, {date}

## entertainment
search_movies: Search movies by genre
  genre: string! movie_genre | Genre
  year: integer year(1980,2024) | Release year
  min_rating: number num(5,9,1) | Minimum rating out of 10
  > Recommend some {genre} movies.
  > {genre} films from {year} rated at least {min_rating}
  => titles: movie*
get_movie_details: Get details of a movie
  title: string! movie | Movie title
  > Tell me about the movie {title}.
  > who directed "{title}"?
  => year: year(1980,2024); rating: num(5,9,1); director: person
play_music: Play a song
  song: string! song | Song title
  artist: string artist | Artist name
  shuffle: boolean = false | Shuffle after this song
  > Play {song} by {artist}.
  > put on {song}
  > Play {song} and then shuffle{shuffle=true}.
create_playlist: Create a playlist
  name: string! quoted(title) | Playlist name
  songs: array<string> song* | Songs to add
  > Make a playlist called {name} with {songs}.
  > new playlist {name}
find_concerts: Find upcoming concerts
  artist: string! artist | Artist
  city: string! city | City
  > Is {artist} playing in {city} soon?
  > concerts by {artist} in {city}
  ? Are there any concerts coming up?
  => next_date: date; venue: venue
getTVSchedule: Get the TV schedule of a channel
  channel: string! tv_channel | Channel name
  date: string! date | Date, YYYY-MM-DD
  > What's on {channel} {date}?
  > tv listings {channel} {date}
*recommend_books: Recommend books in a genre
  genre: enum(fantasy, mystery, romance, science_fiction, history)! | Genre
  author: string author | Favourite author to match
  > Suggest some {genre} books.
  > {genre} books like {author}'s
*get_song_lyrics: Get the lyrics of a song
  song_title: string! song | Song title
  artist_name: string! artist | Artist
  > Lyrics of {song_title} by {artist_name}?
  > show me the words to {song_title} ({artist_name})
  ? Can you show me the lyrics of {song_title}?

## sports
get_match_score: Get the latest score of a team's match
  team: string! team | Team name
  > What's the score of the {team} game?
  > {team} score?
  => score: pick(2-1|0-0|3-2|1-1|101-97); status: pick(final|half time|live)
getLeagueStandings: Get league standings
  league: enum(Premier League, La Liga, NBA, Serie A, MLS)! | League
  season: integer year(2015,2024) | Season start year
  > Show the {league} table.
  > {league} standings for the {season} season
player_stats: Get a player's season statistics
  player_name: string! person | Player name
  season: integer year(2015,2024) | Season start year
  > What are {player_name}'s stats?
  > stats for {player_name} in {season}
find_sports_events: Find sports events in a city
  sport: string! sport | Sport
  city: string! city | City
  date: string date | Date, YYYY-MM-DD
  > Any {sport} games in {city} on {date}?
  > {sport} events in {city}
book_court: Book a sports court
  sport: enum(tennis, squash, badminton, padel)! | Sport
  date: string! date | Date, YYYY-MM-DD
  time: string! time | Start time, HH:MM
  hours: integer int(1,3) = 1 | Hours to book
  > Book a {sport} court {date} at {time}.
  > {sport} court for {hours} hours, {date} {time}
  ? Book me a {sport} court.
*get_team_schedule: Get a team's fixtures for a month
  team: string! team | Team name
  month: enum(January, February, March, April, May, June, July, August, September, October, November, December)! | Month
  > When does {team} play in {month}?
  > {team} fixtures {month}
*compare_players: Compare two players on one statistic
  player_a: string! person | First player
  player_b: string! person | Second player
  metric: enum(goals, assists, points, rebounds)! | Statistic to compare
  > Who has more {metric}, {player_a} or {player_b}?
  > compare {player_a} vs {player_b} on {metric}

## news
get_news_headlines: Get the latest news headlines for a country
  country: string! country | Country
  category: enum(business, sports, technology, health, science) | Topic
  > Latest news from {country}?
  > top {category} headlines in {country}
  ? What's in the news?
  => headlines: topic*
search_news: Search news articles
  query: string! topic | Search terms
  from_date: string past_date(1,60) | Earliest date, YYYY-MM-DD
  language: string lang_code | Language code, e.g. en
  > Find news about {query}.
  > articles on {query} since {from_date}
summarize_article: Summarize a web article
  url: string! url | Article URL
  max_sentences: integer int(1,5) = 3 | Length of the summary
  > Summarize {url}.
  > tl;dr of {url} in {max_sentences} sentences
  ? Can you summarize this article for me?
getTrendingTopics: Get trending topics
  region: string country_code | Two-letter country code
  limit: integer int(5,20) = 10 | How many topics
  > What's trending in {region}?
  > top {limit} trending topics
*subscribe_newsletter: Subscribe an email address to newsletters
  email: string! email | Subscriber email
  topics: array<string>! topic* | Newsletter topics
  > Subscribe {email} to newsletters about {topics}.
  > sign {email} up for {topics} news
*fact_check_claim: Check a claim against fact-checking sources
  claim: string! quoted(claim) | The claim to check
  > Is it true that {claim}?
  > fact check: {claim}
  => verdict: pick(false|mostly false|unproven)

## education
define_word: Get the definition of a word
  word: string! word | The word
  > What does {word} mean?
  > define {word}
  => definition: pick(lasting a very short time|found everywhere|showing great attention to detail)
get_synonyms: Get synonyms of a word
  word: string! word | The word
  max_results: integer int(3,10) = 5 | How many synonyms
  > Synonyms for {word}?
  > give me {max_results} other words for {word}
detect_language: Detect the language of a text
  text: string! quoted(phrase) | Text to analyse
  > What language is {text}?
  > detect language: {text}
get_course_info: Get information about a course
  course_name: string! course | Course name
  > Tell me about the course {course_name}.
  > {course_name}: when and who teaches it?
calculate_gpa: Calculate a grade point average
  grades: array<number>! num(1,4,1)* | Grade points of each course
  > What's my GPA with grades {grades}?
  > gpa for {grades}
enroll_student: Enroll a student in a course
  student_name: string! person | Student's full name
  course: string! course | Course name
  > Enroll {student_name} in {course}.
  > sign {student_name} up for {course}
  ? Enroll me in a course.
*conjugate_verb: Conjugate a verb
  verb: string! pick(to be|to go|to have|to eat|to speak) | Verb in English
  language: string! language | Language
  tense: enum(present, past, future) = present | Tense
  > Conjugate {verb} in {language}.
  > {language} {tense} tense of {verb}
*get_etymology: Get the origin of a word
  term: string! word | The word
  > Where does the word {term} come from?
  > etymology of {term}

## devops
restart_server: Restart a server
  server_name: string! server | Server name
  force: boolean = false | Force the restart
  > Restart {server_name}.
  > force{force=true} restart {server_name} now
  ? Restart the server.
  => status: pick(restarting|ok)
get_server_status: Get the health of a server
  host: string! server | Host name
  > Is {host} up?
  > status {host}
  => status: pick(healthy|degraded|down); cpu_percent: int(1,99)
deploy_application: Deploy an application
  app_name: string! repo | Repository of the app
  branch: string! branch | Branch to deploy
  environment: enum(dev, staging, production)! | Target environment
  > Deploy {app_name} {branch} to {environment}.
  > ship {branch} of {app_name} to {environment}
  ? Deploy {app_name} please.
scale_service: Set the number of replicas of a service
  service: string! server | Service name
  replicas: integer! int(1,20) | Replica count
  > Scale {service} to {replicas} replicas.
  > run {replicas} instances of {service}
create_vm: Create a virtual machine
  name: string! server | VM name
  region: string! region | Cloud region
  cpu_cores: integer! pick(1|2|4|8|16) | CPU cores
  memory_gb: integer! pick(2|4|8|16|32|64) | Memory in GB
  > Spin up a VM named {name} in {region} with {cpu_cores} cores and {memory_gb} GB RAM.
  > new vm {name}, {region}, {cpu_cores} vCPU, {memory_gb}GB
getLogs: Fetch recent service logs
  service: string! server | Service name
  since_minutes: integer minutes | How far back, in minutes
  level: enum(debug, info, warning, error) | Minimum level
  > Show me {level} logs for {service}.
  > logs of {service} from the last {since_minutes}
open_pull_request: Open a pull request
  repo: string! repo | Repository
  source_branch: string! branch | Branch with the changes
  title: string! quoted(title) | PR title
  > Open a PR in {repo} from {source_branch} titled {title}.
*rollback_deployment: Roll an application back to an earlier version
  app_name: string! repo | Repository of the app
  version: string! version | Version to roll back to
  > Roll {app_name} back to {version}.
  > rollback {app_name} -> {version}
  ? Roll back the last deploy of {app_name}.
*check_ssl_certificate: Check when a domain's TLS certificate expires
  domain: string! domain_name | Domain name
  > When does the certificate for {domain} expire?
  > ssl check {domain}
  => expires: date; issuer: pick(Let's Encrypt|DigiCert)

## files
read_file: Read a text file
  path: string! path | File path
  > Show me the contents of {path}.
  > cat {path}
delete_file: Delete a file
  path: string! path | File path
  permanent: boolean = false | Skip the trash
  > Delete {path}.
  > permanently{permanent=true} delete {path}
  ? Delete that file.
compress_files: Put files into a zip archive
  files: array<string>! filename* | Files to include
  archive_name: string! pick(backup.zip|archive.zip|docs.zip|q1.zip) | Name of the archive
  > Zip {files} into {archive_name}.
  > compress {files} as {archive_name}
convert_document: Convert a document to another format
  file_name: string! filename | File to convert
  target_format: enum(pdf, docx, txt, html, md)! | Output format
  > Convert {file_name} to {target_format}.
  > {file_name} as {target_format} please
share_document: Share a document with someone
  file_name: string! filename | File to share
  email: string! email | Who gets access
  permission: enum(view, comment, edit) = view | Access level
  > Share {file_name} with {email}.
  > give {email} {permission} access to {file_name}
  ? Share {file_name} with my colleague.
search_files: Search files by keyword
  keyword: string! word | Word to look for
  folder: string pick(Documents|Downloads|Desktop|Projects) | Folder to search
  > Find files mentioning {keyword}.
  > search {folder} for {keyword}
*rename_file: Rename a file
  old_name: string! filename | Current name
  new_name: string! filename | New name
  > Rename {old_name} to {new_name}.
  > mv {old_name} {new_name}
*getFileMetadata: Get size and dates of a file
  file_path: string! path | File path
  > How big is {file_path}?
  > metadata for {file_path}
  => size_kb: int(1,90000); modified: past_date(1,300)

## smart_home
set_thermostat: Set the thermostat temperature
  temperature: number! int(16,26) | Target temperature in Celsius
  room: string room | Room
  mode: enum(heat, cool, auto) = auto | Mode
  > Set the thermostat to {temperature} degrees.
  > {room} to {temperature}°C on {mode}
  ? Make it warmer in here.
turn_on_device: Switch on a smart device
  device: string! device | Device
  room: string room | Room the device is in
  > Turn on the {device}.
  > switch on the {room} {device}
turnOffLights: Turn off the lights in a room
  room: string! room | Room
  > Turn off the lights in the {room}.
  > lights off, {room}
  ? Turn off the lights.
lock_door: Lock a door
  door: enum(front, back, garage)! | Which door
  > Lock the {door} door.
  > is the {door} door locked? lock it
set_light_color: Change the colour and brightness of lights
  room: string! room | Room
  color: string! color | Colour name
  brightness: integer int(10,100) | Brightness in percent
  > Make the {room} lights {color}.
  > {room} lights {color} at {brightness}%
start_vacuum: Start the robot vacuum
  rooms: array<string> room* | Rooms to clean; all if omitted
  mode: enum(quiet, standard, turbo) = standard | Suction mode
  > Vacuum the {rooms}.
  > start the vacuum in {mode} mode
*get_energy_usage: Get household energy use
  period: enum(day, week, month)! | Period
  device: string device | One device only
  > How much energy did we use this {period}?
  > energy used by the {device} this {period}
*arm_security_system: Arm the home security system
  mode: enum(home, away, night)! | Arming mode
  pin: integer! int(1000,9999) | Four-digit PIN
  > Arm the alarm in {mode} mode, PIN {pin}.
  > security {mode}, code {pin}
  ? Arm the alarm in {mode} mode.

## real_estate
search_properties: Search homes for sale
  city: string! city | City
  max_price: integer! money(100000,2000000) | Highest price
  bedrooms: integer int(1,5) | Minimum bedrooms
  property_type: enum(apartment, house, condo, townhouse) | Property type
  > Find homes in {city} under {max_price}.
  > {bedrooms}-bedroom {property_type} in {city}, max {max_price}
  ? Show me houses for sale in {city}.
calculate_mortgage: Calculate a monthly mortgage payment
  home_price: number! money(100000,2000000) | Price of the home
  down_payment: number! money(10000,300000) | Down payment
  interest_rate: number! pct(2,8) | Annual rate in percent
  term_years: integer! pick(15|20|25|30) | Term in years
  > Mortgage on a {home_price} home, {down_payment} down, {interest_rate}, {term_years} years?
  => monthly_payment: money(400,9000)
estimate_rent: Estimate market rent
  zip_code: string! zip | Postal code
  bedrooms: integer! int(1,4) | Bedrooms
  > What's the rent for a {bedrooms}-bedroom in {zip_code}?
  => monthly_rent: money(500,6000)
schedule_viewing: Book a property viewing
  property_id: string! id(PROP,5) | Listing ID
  date: string! date | Date, YYYY-MM-DD
  time: string! time | Time, HH:MM
  > Book a viewing of {property_id} on {date} at {time}.
  ? I'd like to see listing {property_id}.
*get_property_tax: Estimate yearly property tax
  property_value: number! money(100000,2000000) | Assessed value
  zip_code: string! zip | Postal code
  > Property tax on a {property_value} home in {zip_code}?
*compareNeighborhoods: Compare two neighbourhoods
  area_a: string! city | First area
  area_b: string! city | Second area
  criteria: array<string> pick(schools|safety|transit|nightlife|parks)* | What to compare
  > Compare {area_a} and {area_b}.
  > {area_a} vs {area_b} on {criteria}

## jobs
search_jobs: Search job listings
  title: string! job_title | Job title
  location: string! city | City
  remote: boolean = false | Remote only
  min_salary: integer money(30000,150000) | Lowest yearly salary
  > Find {title} jobs in {location}.
  > remote{remote=true} {title} positions based in {location} paying over {min_salary}
  ? Find me a job.
submit_leave_request: Request time off
  employee_id: string! id(EMP,4) | Employee ID
  start_date: string! date | First day off, YYYY-MM-DD
  end_date: string! date(61,80) | Last day off, YYYY-MM-DD
  leave_type: enum(vacation, sick, parental, unpaid) = vacation | Kind of leave
  > Request {leave_type} leave for {employee_id} from {start_date} to {end_date}.
  ? I want to take some time off.
calculate_net_salary: Estimate take-home pay
  gross_salary: number! money(20000,200000) | Yearly gross salary
  country: string! country | Country of employment
  > What's my take-home on {gross_salary} in {country}?
  => net_salary: money(15000,150000)
schedule_interview: Schedule a job interview
  candidate_name: string! person | Candidate
  date: string! date | Date, YYYY-MM-DD
  time: string! time | Time, HH:MM
  interviewer: string person | Interviewer
  > Schedule an interview with {candidate_name} on {date} at {time}.
  > interview {candidate_name} {date} {time} with {interviewer}
getEmployeeInfo: Look up an employee record
  employee_id: string! id(EMP,4) | Employee ID
  > Pull up employee {employee_id}.
  > who is {employee_id}?
*post_job_listing: Publish a job listing
  title: string! job_title | Job title
  department: enum(Engineering, Sales, Marketing, Finance, Operations)! | Department
  salary_min: integer money(30000,90000) | Lowest salary
  salary_max: integer money(90000,200000) | Highest salary
  > Post a {title} opening in {department}.
  > new listing: {title}, {department}, {salary_min} to {salary_max}
*approve_expense: Approve or reject an expense claim
  expense_id: string! id(EXP,5) | Claim ID
  approved: boolean! | True to approve
  comment: string quoted(message) | Note to the employee
  > Approve{approved=true} expense {expense_id}.
  > Reject{approved=false} claim {expense_id} with the note {comment}.

## social
post_tweet: Post a tweet
  text: string! quoted(message) | Tweet text
  hashtags: array<string> hashtag* | Hashtags
  > Tweet {text}.
  > post {text} with {hashtags}
get_user_profile: Get a social media profile
  username: string! username | Handle with @
  > Show me {username}'s profile.
  > who is {username}?
  => followers: int(10,90000); bio: pick(coffee and code|travel photographer|runner)
follow_user: Follow an account
  username: string! username | Handle with @
  > Follow {username}.
  > follow {username} pls
  ? Follow that account.
schedule_post: Schedule a social media post
  platform: enum(twitter, instagram, linkedin, facebook)! | Platform
  content: string! quoted(message) | Post text
  publish_date: string! date | Date, YYYY-MM-DD
  > Schedule {content} on {platform} for {publish_date}.
  ? Schedule a post for {publish_date}.
getFollowerCount: Get an account's follower count
  handle: string! username | Handle with @
  platform: enum(twitter, instagram, tiktok) | Platform
  > How many followers does {handle} have?
  > {handle} follower count on {platform}
*search_hashtag: Find recent posts with a hashtag
  tag: string! hashtag | Hashtag with #
  limit: integer int(5,50) = 20 | Number of posts
  > Show posts with {tag}.
  > latest {limit} posts tagged {tag}
*block_account: Block an account
  username: string! username | Handle with @
  report_spam: boolean = false | Also report as spam
  > Block {username}.
  > block and report {username} for spam{report_spam=true}

## transport
request_ride: Request a ride
  pickup: string! street | Pick-up address
  dropoff: string! street | Drop-off address
  ride_type: enum(standard, xl, premium) = standard | Ride type
  > Get me a ride from {pickup} to {dropoff}.
  > {ride_type} ride {pickup} -> {dropoff}
  ? I need a ride to {dropoff}.
  => driver: first_name; eta_minutes: int(2,15)
get_transit_schedule: Get departures from a station
  station: string! station | Station name
  line: string pick(Red Line|Blue Line|Line 4|Airport Express) | Line
  > Next departures from {station}?
  > {line} times at {station}
find_parking: Find parking
  city: string! city | City
  max_price_per_hour: number num(1,10,2) | Highest hourly price
  > Where can I park in {city}?
  > parking in {city} under {max_price_per_hour} an hour
getFuelPrices: Get fuel prices near a postal code
  zip_code: string! zip | Postal code
  fuel_type: enum(regular, premium, diesel) = regular | Fuel
  > Fuel prices near {zip_code}?
  > {fuel_type} price around {zip_code}
book_bike: Rent a shared bike
  station: string! station | Dock station
  minutes: integer! minutes | Rental length in minutes
  > Rent a bike at {station} for {minutes}.
  ? I want to rent a bike for {minutes}.
*estimate_ride_fare: Estimate the fare of a ride
  pickup: string! street | Pick-up address
  dropoff: string! street | Drop-off address
  ride_type: enum(standard, xl, premium) = standard | Ride type
  > How much is a ride from {pickup} to {dropoff}?
  > fare estimate {ride_type} {pickup} to {dropoff}
*get_ev_charging_stations: Find EV charging stations
  city: string! city | City
  connector: enum(CCS, CHAdeMO, Type2, Tesla) | Plug type
  fast_only: boolean = false | Only fast chargers
  > EV chargers in {city}?
  > fast{fast_only=true} {connector} chargers in {city}

## science
get_planet_info: Get facts about a planet
  planet: string! planet | Planet name
  > Tell me about {planet}.
  > how far is {planet} from the sun?
  => moons: int(0,95); distance_au: num(0.3,30,2)
calculate_molar_mass: Calculate the molar mass of a chemical formula
  formula: string! molecule | Chemical formula
  > Molar mass of {formula}?
  > What does one mole of {formula} weigh?
get_element_properties: Get the properties of a chemical element
  element: string! element | Element name
  > What's the atomic number of {element}?
  > properties of {element}
convert_temperature: Convert a temperature between scales
  value: number! num(-40,200,1) | Temperature
  from_unit: enum(C, F, K)! | Scale of the value
  to_unit: enum(C, F, K)! | Scale to convert to
  > Convert {value} {from_unit} to {to_unit}.
  > {value} degrees {from_unit} in {to_unit}?
physics.kinetic_energy: Kinetic energy of a moving mass
  mass_kg: number! num(0.1,2000,1) | Mass in kilograms
  velocity: number! num(0.5,100,1) | Speed in m/s
  > Kinetic energy of a {mass_kg} kg object at {velocity} m/s?
  ? What's the kinetic energy of something moving at {velocity} m/s?
radioactive_decay: Remaining amount after radioactive decay
  initial_amount: number! num(1,1000,1) | Starting amount in grams
  half_life_years: number! num(1,5000,1) | Half-life in years
  years: number! num(1,10000,0) | Elapsed years
  > {initial_amount} g with a half-life of {half_life_years} years: how much is left after {years} years?
*calculate_density: Density from mass and volume
  mass: number! num(1,500,1) | Mass in grams
  volume: number! num(1,200,1) | Volume in cubic centimeters
  > What's the density of something with mass {mass} g and volume {volume} cm3?
  > density: {mass} g / {volume} cm3
*astronomy.next_eclipse: Find the next eclipse visible from a city
  location: string! city | City
  type: enum(solar, lunar) | Kind of eclipse
  > When is the next {type} eclipse visible from {location}?
  > next eclipse in {location}
  => date: date(30,900)

## utilities
convert_units: Convert a value between units
  value: number! num(1,500,1) | Value
  from_unit: string! pick(km|miles|meters|feet|yards) | Unit of the value
  to_unit: string! pick(km|miles|meters|feet|yards) | Unit to convert to
  > Convert {value} {from_unit} to {to_unit}.
  > how many {to_unit} is {value} {from_unit}?
get_current_time: Get the current time in a time zone
  timezone: string! timezone | IANA time zone, e.g. Europe/Paris
  > What time is it in {timezone}?
  > current time {timezone}
  ? What time is it over there?
generate_password: Generate a random password
  length: integer! int(8,32) | Number of characters
  include_symbols: boolean = true | Use symbols
  > Generate a {length}-character password.
  > password, {length} chars, letters and digits only{include_symbols=false}
random_number: Draw a random integer in a range
  min: integer! int(0,50) | Lowest value
  max: integer! int(51,1000) | Highest value
  > Pick a random number between {min} and {max}.
  > rand {min}-{max}
shorten_url: Shorten a URL
  url: string! url | Long URL
  > Shorten {url}.
  > short link for {url}
  => short_url: pick(https://sho.rt/a8K2|https://sho.rt/Zq91|https://sho.rt/mm3P)
generate_qr_code: Make a QR code
  data: string! url | Text or URL to encode
  size: integer int(100,500) = 200 | Size in pixels
  > Make a QR code for {data}.
  > qr {data} at {size}px
*days_between_dates: Count the days between two dates
  start_date: string! past_date(1,400) | First date, YYYY-MM-DD
  end_date: string! date(1,300) | Second date, YYYY-MM-DD
  > How many days between {start_date} and {end_date}?
  > days from {start_date} to {end_date}
*calculate_tip: Calculate a tip and split the bill
  bill_amount: number! money(10,300) | Bill total
  tip_percentage: number! pct(10,25) | Tip in percent
  split_between: integer int(1,6) = 1 | Number of people
  > Tip {tip_percentage} on {bill_amount}?
  > {bill_amount} bill, {tip_percentage} tip, split {split_between} ways
  ? How much should I tip?

## banking
check_account_balance: Get the balance of a bank account
  account_id: string! id(ACC,8) | Account number
  > What's the balance of account {account_id}?
  > balance {account_id}
  ? How much money do I have?
  => balance: money(0,20000); currency: currency
transfer_money: Transfer money between accounts
  from_account: string! id(ACC,8) | Source account
  to_account: string! id(ACC,8) | Destination account
  amount: number! money(5,5000) | Amount
  > Transfer {amount} from {from_account} to {to_account}.
  > send {amount} {from_account} -> {to_account}
  ? Send {amount} to {to_account}.
pay_bill: Pay a bill
  biller: enum(City Water, PowerGrid, FiberNet, Metro Gas)! | Company to pay
  amount: number! money(10,500) | Amount
  due_date: string date | Due date, YYYY-MM-DD
  > Pay {amount} to {biller}.
  > pay the {biller} bill of {amount} due {due_date}
get_transactions: List account transactions
  account_id: string! id(ACC,8) | Account number
  start_date: string past_date(1,90) | Earliest date, YYYY-MM-DD
  category: enum(groceries, dining, travel, shopping, utilities) | Category
  > Show transactions on {account_id} since {start_date}.
  > {category} spending on {account_id}
freezeCard: Freeze a payment card
  card_last4: string! last4 | Last four digits of the card
  > Freeze my card ending in {card_last4}.
  > lost card {card_last4}, freeze it
  ? I lost my card, freeze it.
*split_payment: Split a payment between friends
  total: number! money(10,600) | Total amount
  people: array<string>! first_name* | Names of the people paying
  > Split {total} between {people}.
  > {people} owe {total} together, split it
*set_budget_alert: Alert when monthly spending in a category passes a limit
  category: enum(groceries, dining, travel, shopping, utilities)! | Category
  limit: number! money(50,2000) | Monthly limit
  > Warn me when {category} spending passes {limit}.
  > budget alert {category} {limit}

## support
create_support_ticket: Open a customer support ticket
  subject: string! quoted(subject) | Short summary
  customer_email: string! email | Customer's email
  priority: enum(low, medium, high, urgent) = medium | Priority
  > Open a ticket for {customer_email}: {subject}.
  > {priority} ticket {subject} from {customer_email}
  ? Open a support ticket about {subject}.
  => ticket_id: id(TCK,6)
get_ticket_status: Get the status of a support ticket
  ticket_id: string! id(TCK,6) | Ticket ID
  > Status of ticket {ticket_id}?
  > what's happening with {ticket_id}
  => status: pick(open|pending|resolved)
add_crm_note: Add a note to a customer record
  customer_id: string! id(CUS,5) | Customer ID
  note: string! quoted(message) | Note text
  > Add a note to {customer_id}: {note}
escalateTicket: Escalate a support ticket
  ticket_id: string! id(TCK,6) | Ticket ID
  level: integer! int(1,3) | Escalation tier
  > Escalate {ticket_id} to tier {level}.
  ? Escalate this ticket.
*close_ticket: Close a support ticket with a resolution note
  ticket_id: string! id(TCK,6) | Ticket ID
  resolution: string! quoted(message) | Resolution note
  > Close {ticket_id} with the note {resolution}.
  ? Close ticket {ticket_id}.
*search_customers: Search customers by name
  name: string! person | Customer name
  company: string company | Company
  > Find customer {name}.
  > look up {name} at {company}

## gaming
get_game_stats: Get a player's stats in a game
  player_id: string! username | Player handle
  game: string! game | Game title
  > Stats for {player_id} in {game}?
  > how is {player_id} doing in {game}
find_game_servers: Find game servers
  game: string! game | Game title
  region: enum(na, eu, asia, oce)! | Server region
  > Find {game} servers in {region}.
getGamePrice: Get a game's price
  title: string! game | Game title
  platform: enum(PC, PlayStation, Xbox, Switch)! | Platform
  > How much is {title} on {platform}?
  ? How much does {title} cost?
  => price: money(5,70); on_sale: bool
roll_dice: Roll dice
  sides: integer! int(4,20) | Sides per die
  count: integer int(1,5) = 1 | Number of dice
  > Roll a d{sides}.
  > roll {count} dice with {sides} sides
*get_leaderboard: Get a game's leaderboard
  game: string! game | Game title
  top_n: integer int(3,50) = 10 | Number of players
  > Top {top_n} players in {game}?
  > {game} leaderboard
*create_tournament: Create a game tournament
  name: string! quoted(title) | Tournament name
  game: string! game | Game title
  max_players: integer! pick(8|16|32|64) | Player limit
  start_date: string! date | Start date, YYYY-MM-DD
  > Create a {game} tournament called {name} for {max_players} players starting {start_date}.

## pets
find_vet: Find a veterinarian
  city: string! city | City
  emergency: boolean = false | Open now for emergencies
  > Find a vet in {city}.
  > emergency{emergency=true} vet in {city} now!
pet_food_calculator: Daily food amount for a pet
  pet_type: string! pet | Kind of animal
  weight_kg: number! num(1,50,1) | Weight in kilograms
  > How much should my {weight_kg} kg {pet_type} eat a day?
  ? How much should I feed my {pet_type}?
  => grams_per_day: int(20,900)
book_grooming: Book a grooming appointment
  pet_name: string! first_name | Pet's name
  service: enum(bath, haircut, nails, full)! | Service
  date: string! date | Date, YYYY-MM-DD
  > Book a {service} for {pet_name} on {date}.
adopt_pet_search: Search adoptable pets
  species: string! pet | Species
  city: string! city | City
  breed: string breed | Breed
  > Any {species}s up for adoption in {city}?
  > adopt a {breed} in {city}, species {species}
*log_pet_medication: Record a medication dose for a pet
  pet_name: string! first_name | Pet's name
  medication: string! pick(flea treatment|dewormer|antibiotic|joint supplement) | Medication
  dose_mg: integer! int(5,500) | Dose in milligrams
  > Log {dose_mg} mg of {medication} for {pet_name}.
*get_breed_info: Get facts about a breed
  breed: string! breed | Breed
  > Tell me about {breed}s.
  > {breed} temperament?

## garden
get_plant_care: Get care instructions for a plant
  plant: string! plant | Plant name
  > How do I take care of a {plant}?
  > {plant} care tips
watering_schedule: Make a watering schedule
  plant: string! plant | Plant name
  climate: enum(dry, temperate, humid) = temperate | Local climate
  > How often should I water my {plant}?
  > watering plan for a {plant} in a {climate} climate
frost_warning: Check for frost in the coming nights
  city: string! city | City
  nights: integer int(1,7) = 3 | Nights to check
  > Will there be frost in {city}?
  > frost risk {city} next {nights} nights
  => frost_expected: bool; lowest_c: int(-8,4)
identify_pest: Identify a garden pest from a description
  description: string! quoted(symptom) | What you see
  plant: string plant | Affected plant
  > Something is eating my {plant}: {description}. What pest is it?
*soil_test_advice: Interpret a soil pH reading
  ph: number! num(4,9,1) | Measured pH
  plant: string plant | Plant to grow
  > My soil pH is {ph}. Is that ok for {plant}?
  ? Is my soil ok for {plant}?
*compost_calculator: How much compost a bed needs
  length_m: number! num(1,10,1) | Bed length in meters
  width_m: number! num(0.5,3,1) | Bed width in meters
  depth_cm: integer int(2,15) = 5 | Layer depth in centimeters
  > How much compost for a bed {length_m} m by {width_m} m?
  > compost for {length_m}x{width_m} m, {depth_cm} cm deep
"""
