/** Fan-out of "order X changed status" notices from every replica. */
export interface OrderChanges {
  /** Calls `onChange` whenever order `orderId` changes status; returns the unsubscribe function. */
  subscribe(orderId: string, onChange: () => void): () => void;
}
