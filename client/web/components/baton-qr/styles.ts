// Styles of <baton-qr>.
import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    max-width: 18rem;
  }
  svg {
    display: block;
    width: 100%;
    height: auto;
    background: #fff;
    border: 1px solid #888;
  }
  path {
    fill: #000;
  }
`;
