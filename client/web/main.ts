// The web client's entry: page styles and the app element.
import './global.css';
import './components/baton-app/baton-app.ts';
