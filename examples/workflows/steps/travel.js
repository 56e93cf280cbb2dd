// The saga's services as one processor plugin: `action` says which operation to run on the trip, `saga` is the
// saga's record so far (the bookings made and the log of the operations done, in order), and the answer is
// that record updated. Failures are named errors the workflow catches:
//   book-hotel  HotelUnavailable      when trip.hotel_full
//   book-flight FlightUnavailable     when trip.flight_full
//   charge-card CardDeclined          when the trip's price is above card_limit
//   cancel-*    CancellationRejected  when trip.reject_cancellations names the booking (hotel / flight)
export const manifest = {
  id: 'workflow-example-travel',
  version: '1.0.0',
  kind: 'processor',
  description: 'Books, charges and cancels a trip',
  requires: '^1.0',
};

function failure(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

export function map({ action, trip, saga }) {
  const log = [...(saga.log ?? []), action];
  switch (action) {
    case 'book-hotel':
      if (trip.hotel_full) throw failure('HotelUnavailable', `no room at ${trip.hotel}`);
      return { ...saga, log, hotel: { booking: `H-${trip.id}`, hotel: trip.hotel, status: 'booked' } };
    case 'book-flight':
      if (trip.flight_full) throw failure('FlightUnavailable', `flight ${trip.flight} is full`);
      return { ...saga, log, flight: { booking: `F-${trip.id}`, flight: trip.flight, status: 'booked' } };
    case 'charge-card':
      if (trip.price > trip.card_limit)
        throw failure('CardDeclined', `card declined: ${trip.price} is above the limit of ${trip.card_limit}`);
      return { ...saga, log, payment: { charge: `C-${trip.id}`, amount: trip.price, status: 'charged' } };
    case 'cancel-flight':
    case 'cancel-hotel': {
      const what = action.slice('cancel-'.length);
      if ((trip.reject_cancellations ?? []).includes(what))
        throw failure('CancellationRejected', `${what} ${saga[what].booking} cannot be cancelled`);
      return { ...saga, log, [what]: { ...saga[what], status: 'cancelled' } };
    }
    default:
      throw failure('UnknownAction', `no action ${action}`);
  }
}
